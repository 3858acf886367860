const nxPreset = require('@nx/jest/preset').default;

/** Shared Jest settings: @swc/jest transforms (type checks run in the `typecheck` target). */
module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  globalSetup: require.resolve('./tools/jest/global-setup.js'),
  transform: {
    '^.+\\.[tj]s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  passWithNoTests: true,
  moduleFileExtensions: ['ts', 'js', 'json'],
};
