import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { instructionsOf, parseDockerfile, readNodeServiceImage, type Stage } from '@switchboard/dev-infra';
import { DOCKER_DIR, WORKSPACE_ROOT } from './lib/paths';

const read = (name: string) => readFileSync(join(DOCKER_DIR, name), 'utf8');
const last = (stages: Stage[]) => stages[stages.length - 1];

describe('docker/node-service.Dockerfile', () => {
  const file = parseDockerfile(read('node-service.Dockerfile'));
  const build = file.stages.find((s) => s.name === 'build');
  const runtime = last(file.stages);

  it('is multi-stage on node:24-bookworm-slim (Node 24 LTS) for both build and runtime', () => {
    expect(file.globalArgs).toContain('NODE_IMAGE=node:24-bookworm-slim');
    expect(build?.base).toBe('${NODE_IMAGE}');
    expect(runtime.base).toBe('${NODE_IMAGE}');
    expect(runtime.name).toBe('runtime');
  });

  it('builds the app with nx, then assembles its bundle and production dependencies with docker/assemble-app.sh', () => {
    const runs = instructionsOf(build!, 'RUN');
    expect(runs.slice(1)).toEqual(['npm ci', 'npx nx run "${APP}:build"', 'sh docker/assemble-app.sh "dist/apps/${APP}" /app']);
    const script = read('assemble-app.sh');
    expect(script).toContain('npm ci --omit=dev');
    expect(script).toMatch(/^set -eu$/m);
  });

  it('has the shape the image test reproduces (platform-e2e images.e2e.ts)', () => {
    expect(readNodeServiceImage(read('node-service.Dockerfile'))).toMatchObject({ nodeMajor: 24, filesDir: '/app', entrypoint: ['node', 'main.js'] });
  });

  it('refuses an unknown APP with a message naming the accepted ones', () => {
    const guard = instructionsOf(build!, 'RUN')[0];
    expect(guard).toMatch(/signaling\|meeting-join\|recording-compliance\|graph-emulator/);
    expect(guard).toContain('exit 1');
  });

  it('copies only the assembled app (bundle + production node_modules) into the runtime stage, and exports the same files', () => {
    expect(instructionsOf(runtime, 'COPY')).toEqual(['--from=build /app/ ./']);
    expect(instructionsOf(runtime, 'ADD')).toEqual([]);
    expect(instructionsOf(file.stages.find((s) => s.name === 'app-files')!, 'COPY')).toEqual(['--from=build /app/ /']);
  });

  it('leaves no package manager in the runtime stage', () => {
    const [removal, ...others] = instructionsOf(runtime, 'RUN');
    expect(others).toEqual([]);
    for (const tool of ['/usr/local/lib/node_modules', '/usr/local/bin/npm', '/usr/local/bin/npx', '/usr/local/bin/corepack', '/usr/local/bin/yarn']) {
      expect(removal.split(/\s+/)).toContain(tool);
    }
  });

  it('runs as the non-root node user (uid 1000, as the chart expects) with node main.js and no HEALTHCHECK', () => {
    expect(instructionsOf(runtime, 'USER')).toEqual(['1000:1000']);
    expect(instructionsOf(runtime, 'ENTRYPOINT')).toEqual(['["node", "main.js"]']);
    expect(file.stages.flatMap((s) => instructionsOf(s, 'HEALTHCHECK'))).toEqual([]);
  });
});

describe('docker/media.windows.Dockerfile', () => {
  const text = read('media.windows.Dockerfile');
  const file = parseDockerfile(text);
  const [node, runtime] = file.stages;

  it('builds on Windows Server Core ltsc2022 in every stage', () => {
    expect(file.stages.map((s) => s.base)).toEqual([
      'mcr.microsoft.com/windows/servercore:ltsc2022',
      'mcr.microsoft.com/windows/servercore:ltsc2022',
    ]);
  });

  it('downloads the official Node 24 zip with Invoke-WebRequest and verifies its SHA-256', () => {
    const install = instructionsOf(node, 'RUN').join('\n');
    expect(file.globalArgs).toContainEqual(expect.stringMatching(/^NODE_VERSION=24\.\d+\.\d+$/));
    expect(install).toContain("'https://nodejs.org/dist/v' + $env:NODE_VERSION");
    expect(install).toContain("'-win-x64.zip'");
    expect(install).toContain('Invoke-WebRequest');
    expect(install).toContain('Get-FileHash -Path $zip -Algorithm SHA256');
    expect(install).toMatch(/if \(-not \$expected -or \$actual -ne \$expected\) \{ throw/);
  });

  it('copies Node and the Linux-built app files only, and runs as ContainerUser', () => {
    expect(instructionsOf(runtime, 'COPY')).toEqual(['--from=node C:\\nodejs C:\\nodejs', 'package.json package-lock.json main.js* ./', 'node_modules ./node_modules']);
    expect(instructionsOf(runtime, 'USER')).toEqual(['ContainerUser']);
    expect(instructionsOf(runtime, 'ENTRYPOINT')).toEqual(['["C:\\\\nodejs\\\\node.exe", "main.js"]']);
    expect(file.stages.flatMap((s) => instructionsOf(s, 'HEALTHCHECK'))).toEqual([]);
  });
});

describe('.dockerignore', () => {
  it('keeps installed, built and VCS folders out of the build context', () => {
    const ignored = readFileSync(join(WORKSPACE_ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', 'dist', '.nx', 'tmp', '.git']) expect(ignored).toContain(entry);
  });
});
