# syntax=docker/dockerfile:1
# Linux image of one Node service of the workspace:
#   docker build -f docker/node-service.Dockerfile --build-arg APP=signaling -t switchboard/signaling .
# The workspace is built and pruned in the build stage; the runtime stage gets only the app's bundle
# and its production dependencies. Node 24 (LTS) in both stages.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG APP
# media is accepted for the app-files export that the Windows media image is built from.
RUN case "${APP}" in \
      signaling|meeting-join|recording-compliance|graph-emulator|media) ;; \
      *) echo "APP must be signaling, meeting-join, recording-compliance or graph-emulator (got '${APP}')" >&2; exit 1 ;; \
    esac
WORKDIR /workspace
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
# Dependencies first, so the layer is reused until the lock file changes.
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY . .
RUN npx nx run "${APP}:build"
# The build wrote package.json + package-lock.json naming only the packages the bundle loads (tools/webpack);
# the script copies the bundle to /app and installs exactly those. The image test runs the same line.
RUN sh docker/assemble-app.sh "dist/apps/${APP}" /app

# The app's files alone (bundle + production node_modules), for
#   docker build ... --build-arg APP=media --target app-files --output type=local,dest=tmp/media-app .
FROM scratch AS app-files
COPY --from=build /app/ /

FROM ${NODE_IMAGE} AS runtime
# The service needs node alone: npm, npx, corepack and yarn go, so nothing can install or fetch code at run time.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and not writable by the service user; pods also run with a read-only root filesystem.
COPY --from=build /app/ ./
# The image's unprivileged node user, by number, so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
# No HEALTHCHECK: Kubernetes probes /health/live and /health/ready.
ENTRYPOINT ["node", "main.js"]
