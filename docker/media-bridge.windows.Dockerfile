# escape=`
# Windows Server Core image of the media bridge (apps/media-bridge): Microsoft's real-time media platform
# needs Windows, so both stages run on a Windows host (ltsc2022). From the workspace root:
#   docker build -f docker/media-bridge.windows.Dockerfile -t switchboard/media-bridge .
# The build context needs apps/media-bridge and proto/ only (C# is generated from proto/ at build time).
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-windowsservercore-ltsc2022 AS build
WORKDIR C:\src
COPY proto/ proto/
COPY apps/media-bridge/ apps/media-bridge/
RUN dotnet publish apps/media-bridge/src/MediaBridge/MediaBridge.csproj -c Release -r win-x64 --self-contained false -o C:\publish

# Server Core with the ASP.NET Core runtime (the bridge's health and drain endpoints run on Kestrel).
# Not Nano Server: the media platform's native parts need Server Core.
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-windowsservercore-ltsc2022 AS runtime
WORKDIR C:\bridge
COPY --from=build C:\publish .
ENV MEDIA_PLATFORM=microsoft `
    DOTNET_gcServer=1
USER ContainerUser
# No HEALTHCHECK: Kubernetes probes /health/live and /health/ready on MEDIA_BRIDGE_HTTP_PORT; preStop is GET /drain.
ENTRYPOINT ["dotnet", "MediaBridge.dll"]
