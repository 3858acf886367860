# syntax=docker/dockerfile:1
# Linux image of one Node service of the workspace:
#   docker build -f docker/node-service.Dockerfile --build-arg APP=signaling -t switchboard/signaling .
# The workspace is built and pruned in the build stage; the runtime stage gets only the app's bundle
# and its production dependencies.
ARG NODE_IMAGE=node:20-bookworm-slim

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
# The build wrote package.json + package-lock.json naming only the packages the bundle loads (tools/webpack).
WORKDIR /workspace/dist/apps/${APP}
RUN npm ci --omit=dev && npm cache clean --force

# The app's files alone (bundle + production node_modules), for
#   docker build ... --build-arg APP=media --target app-files --output type=local,dest=build/media .
FROM scratch AS app-files
ARG APP
COPY --from=build /workspace/dist/apps/${APP}/ /

FROM ${NODE_IMAGE} AS runtime
ARG APP
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and not writable by the service user; pods also run with a read-only root filesystem.
COPY --from=build /workspace/dist/apps/${APP}/ ./
USER node
# No HEALTHCHECK: Kubernetes probes /health/live and /health/ready.
ENTRYPOINT ["node", "main.js"]
