#!/bin/sh
# Builds the image of one app where a container engine answers (`npx nx run <app>:docker-build`); elsewhere says so
# and succeeds, so the target can run on any machine. Not part of `npm test`.
#   docker/build-image.sh signaling|meeting-join|recording-compliance|graph-emulator|media
# Linux services: docker/node-service.Dockerfile, tagged switchboard/<app>:<workspace version>.
# media: on a Linux engine its app files are exported to tmp/media-app; on a Windows engine the Windows image is
# built from them (docker/README.md).
set -eu
cd "$(dirname "$0")/.."
app=${1:-}
case "$app" in
  signaling|meeting-join|recording-compliance|graph-emulator|media) ;;
  *) echo "usage: $0 signaling|meeting-join|recording-compliance|graph-emulator|media" >&2; exit 2 ;;
esac
docker=${DOCKER:-docker}
if ! command -v "$docker" >/dev/null 2>&1; then
  echo "docker-build $app: skipped, there is no $docker command on this machine"
  exit 0
fi
if ! os=$("$docker" info --format '{{.OSType}}' 2>/dev/null) || [ -z "$os" ]; then
  echo "docker-build $app: skipped, no container engine answers ('$docker info' failed)"
  exit 0
fi
version=$(node -p "require('./package.json').version")
tag="switchboard/$app:$version"

if [ "$app" != media ]; then
  if [ "$os" != linux ]; then
    echo "docker-build $app: skipped, the engine runs $os containers and this is a Linux image"
    exit 0
  fi
  "$docker" build -f docker/node-service.Dockerfile --build-arg APP="$app" -t "$tag" .
  echo "built $tag"
elif [ "$os" = linux ]; then
  rm -rf tmp/media-app
  "$docker" build -f docker/node-service.Dockerfile --build-arg APP=media --target app-files --output type=local,dest=tmp/media-app .
  echo "exported the media app files to tmp/media-app; build the image from them on a Windows host:"
  echo "  docker build -f docker/media.windows.Dockerfile -t $tag tmp/media-app"
else
  if [ ! -f tmp/media-app/main.js ]; then
    echo "docker-build media: tmp/media-app/main.js is missing; export the app files on a Linux engine first (docker/README.md)" >&2
    exit 1
  fi
  "$docker" build -f docker/media.windows.Dockerfile -t "$tag" tmp/media-app
  echo "built $tag"
fi
