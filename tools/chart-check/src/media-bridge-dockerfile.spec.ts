import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { instructionsOf, parseDockerfile } from '@switchboard/dev-infra';
import { DOCKER_DIR } from './lib/paths';

describe('docker/media-bridge.windows.Dockerfile', () => {
  const file = parseDockerfile(readFileSync(join(DOCKER_DIR, 'media-bridge.windows.Dockerfile'), 'utf8'));
  const [build, runtime] = file.stages;

  it('builds with the .NET SDK and runs on the ASP.NET Core runtime, both Server Core ltsc2022', () => {
    expect(file.globalArgs).toContain('DOTNET_VERSION=10.0');
    expect(file.stages.map((s) => s.base)).toEqual([
      'mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-windowsservercore-ltsc2022',
      'mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-windowsservercore-ltsc2022',
    ]);
  });

  it('publishes the bridge from its sources and proto/ only', () => {
    expect(instructionsOf(build, 'COPY')).toEqual(['proto/ proto/', 'apps/media-bridge/ apps/media-bridge/']);
    expect(instructionsOf(build, 'RUN').join('\n')).toContain('dotnet publish apps/media-bridge/src/MediaBridge/MediaBridge.csproj -c Release -r win-x64');
  });

  it('copies the published bridge alone, hosts the Microsoft platform and runs as ContainerUser', () => {
    expect(instructionsOf(runtime, 'COPY')).toEqual(['--from=build C:\\publish .']);
    expect(instructionsOf(runtime, 'ENV').join('\n')).toContain('MEDIA_PLATFORM=microsoft');
    expect(instructionsOf(runtime, 'USER')).toEqual(['ContainerUser']);
    expect(instructionsOf(runtime, 'ENTRYPOINT')).toEqual(['["dotnet", "MediaBridge.dll"]']);
    expect(file.stages.flatMap((s) => instructionsOf(s, 'HEALTHCHECK'))).toEqual([]);
  });
});
