#!/bin/sh
# The files of one app's image: its built folder (main.js + the package.json and package-lock.json that name only
# the packages the bundle loads, written by tools/webpack) copied to DEST, plus those packages installed there.
#   docker/assemble-app.sh dist/apps/<app> DEST
# node-service.Dockerfile runs it in its build stage and its runtime stage copies DEST alone; the image test
# (apps/platform-e2e/src/images.e2e.ts) runs the same line and starts the service from DEST.
set -eu
if [ "$#" -ne 2 ]; then
  echo "usage: $0 <built app folder> <destination>" >&2
  exit 2
fi
built=$1
dest=$2
if [ ! -f "$built/main.js" ] || [ ! -f "$built/package-lock.json" ]; then
  echo "$built has no main.js and package-lock.json: build the app first (npx nx run <app>:build)" >&2
  exit 1
fi
mkdir -p "$dest"
cp -R "$built/." "$dest/"
cd "$dest"
# Exactly the lock file's versions, without dev dependencies, scripts of this package or audit/fund chatter.
npm ci --omit=dev --no-audit --no-fund --loglevel=error
