# escape=`
# Windows Server Core image of the media service. Build it on a Windows host (ltsc2022) from the
# Linux-built app files (bundle + production node_modules; grpc-js is pure JavaScript, so no native addon):
#   docker build -f docker/node-service.Dockerfile --build-arg APP=media --target app-files --output type=local,dest=tmp/media-app .   (Linux)
#   docker build -f docker/media.windows.Dockerfile -t switchboard/media tmp/media-app                                                 (Windows)
ARG NODE_VERSION=24.21.0

FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS node
ARG NODE_VERSION
# Pin the archive's SHA-256 (from the signed SHASUMS256.txt.asc) for reproducible builds; when it is
# empty the build checks against nodejs.org's SHASUMS256.txt of that release.
ARG NODE_SHA256=
SHELL ["powershell", "-NoLogo", "-NoProfile", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]
RUN $zip = 'node-v' + $env:NODE_VERSION + '-win-x64.zip'; `
    $base = 'https://nodejs.org/dist/v' + $env:NODE_VERSION; `
    Invoke-WebRequest -UseBasicParsing -Uri ($base + '/' + $zip) -OutFile $zip; `
    $expected = $env:NODE_SHA256; `
    if (-not $expected) { `
      Invoke-WebRequest -UseBasicParsing -Uri ($base + '/SHASUMS256.txt') -OutFile SHASUMS256.txt; `
      $expected = ((Select-String -Path SHASUMS256.txt -Pattern $zip -SimpleMatch | Select-Object -First 1).Line -split '\s+')[0]; `
    }; `
    $actual = (Get-FileHash -Path $zip -Algorithm SHA256).Hash; `
    if (-not $expected -or $actual -ne $expected) { throw ('checksum mismatch for ' + $zip + ': expected ' + $expected + ', got ' + $actual) }; `
    Expand-Archive -Path $zip -DestinationPath C:\; `
    Rename-Item -Path ('C:\node-v' + $env:NODE_VERSION + '-win-x64') -NewName nodejs; `
    Remove-Item -Path $zip

FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS runtime
COPY --from=node C:\nodejs C:\nodejs
# Machine PATH, so the entrypoint and the preStop hook (`node -e ...`) both find node.
RUN setx /M PATH "%PATH%;C:\nodejs"
ENV NODE_ENV=production
WORKDIR C:\app
COPY package.json package-lock.json main.js* ./
COPY node_modules ./node_modules
USER ContainerUser
# No HEALTHCHECK: Kubernetes probes gRPC health on 50051.
ENTRYPOINT ["C:\\nodejs\\node.exe", "main.js"]
