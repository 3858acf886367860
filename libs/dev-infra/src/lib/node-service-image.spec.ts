import { readNodeServiceImage } from './node-service-image';

const dockerfile = (runtime: string[], build = ['RUN npx nx run "${APP}:build"', 'RUN sh docker/assemble-app.sh "dist/apps/${APP}" /app']) =>
  ['ARG NODE_IMAGE=node:24-bookworm-slim', 'FROM ${NODE_IMAGE} AS build', ...build, 'FROM ${NODE_IMAGE} AS runtime', ...runtime].join('\n');
const runtime = ['ENV NODE_ENV=production A=b', 'WORKDIR /app', 'COPY --from=build /app/ ./', 'USER 1000:1000', 'ENTRYPOINT ["node", "main.js"]'];

describe('readNodeServiceImage', () => {
  it('reads the node major, the assemble line, the copied folder, ENV and the entrypoint', () => {
    expect(readNodeServiceImage(dockerfile(runtime))).toEqual({
      nodeMajor: 24,
      assemble: ['sh', 'docker/assemble-app.sh', 'dist/apps/${APP}', '/app'],
      filesDir: '/app',
      env: { NODE_ENV: 'production', A: 'b' },
      entrypoint: ['node', 'main.js'],
    });
  });

  it.each([
    ['a runtime stage that copies anything else', dockerfile([...runtime, 'COPY --from=build /workspace/tools ./tools']), /must copy only '--from=build \/app\/ \.\/'/],
    ['an assemble line whose output the runtime does not copy', dockerfile(runtime, ['RUN sh docker/assemble-app.sh dist/apps/x /out']), /must copy only '--from=build \/out\/ \.\/'/],
    ['no assemble line', dockerfile(runtime, ['RUN npm ci --omit=dev']), /must RUN docker\/assemble-app.sh exactly once/],
    ['an entrypoint other than node', dockerfile(runtime.map((l) => (l.startsWith('ENTRYPOINT') ? 'ENTRYPOINT ["tini", "node"]' : l))), /must run node/],
  ])('refuses %s, which the image test could not reproduce', (_case, text, message) => {
    expect(() => readNodeServiceImage(text)).toThrow(message);
  });
});
