import nx from '@nx/eslint-plugin';

const dependsOn = (tags) => tags.map((t) => `type:${t}`);

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/*.generated.ts', 'libs/media-proto/src/gen/**', '**/jest.config.js', '**/webpack.config.js'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          banTransitiveDependencies: true,
          allow: [],
          depConstraints: [
            // Layers: who may import whom.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: dependsOn(['feature', 'data-access', 'util', 'contracts']) },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: dependsOn(['data-access', 'util', 'contracts']) },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: dependsOn(['feature', 'data-access', 'util', 'contracts']) },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: dependsOn(['data-access', 'util', 'contracts']) },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: dependsOn(['util', 'contracts']) },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: dependsOn(['contracts']) },
            // Domains: a scope sees itself and shared code. The emulator also sees media: it plays the media platform
            // with media-dsp's generators (DTMF, speech) and speaks StreamCall through media-proto.
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:signaling', onlyDependOnLibsWithTags: ['scope:signaling', 'scope:shared'] },
            { sourceTag: 'scope:meetings', onlyDependOnLibsWithTags: ['scope:meetings', 'scope:shared'] },
            { sourceTag: 'scope:compliance', onlyDependOnLibsWithTags: ['scope:compliance', 'scope:shared'] },
            { sourceTag: 'scope:media', onlyDependOnLibsWithTags: ['scope:media', 'scope:shared'] },
            { sourceTag: 'scope:emulator', onlyDependOnLibsWithTags: ['scope:emulator', 'scope:shared', 'scope:media'] },
            // The command-line tool checks flow files with signaling's flow engine, as signaling does at boot.
            { sourceTag: 'scope:devtools', onlyDependOnLibsWithTags: ['scope:devtools', 'scope:shared', 'scope:signaling'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e.ts', '**/test/**/*.ts', '**/bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
