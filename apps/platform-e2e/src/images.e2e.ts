import { readlinkSync } from 'node:fs';
import { credentials } from '@grpc/grpc-js';
import { launchPlatform, type RunningPlatform } from '@switchboard/dev-infra';
import { HealthClient, HealthCheckResponse_ServingStatus } from '@switchboard/media-proto';
import { imageNode, installBundles, type InstalledBundles } from './support/bundles';

/**
 * What each container image holds, without a container engine: docker/node-service.Dockerfile is read, its build
 * stage's assemble line (docker/assemble-app.sh: the app's bundle plus `npm ci --omit=dev` from its generated lock
 * file) is run for every app into a folder outside the workspace (so nothing resolves from the workspace's
 * node_modules), and each app is started from that folder as the runtime stage starts it: its ENTRYPOINT in that
 * folder, with its ENV, on a node of the image's major version. The Linux services and the emulator come from these
 * images; media's Windows image is made of the same files (the app-files stage) and runs the same Node major.
 */
describe('each image boots its app from only what the image contains, on the image’s Node', () => {
  let bundles: InstalledBundles | undefined;
  let platform: RunningPlatform | undefined;
  let node: string;

  beforeAll(async () => {
    delete process.env['NODE_PATH']; // the apps inherit this process's environment
    bundles = await installBundles(['graph-emulator', 'signaling', 'meeting-join', 'recording-compliance', 'media']);
    node = await imageNode(bundles.image.nodeMajor);
    platform = await launchPlatform({
      appsDir: bundles.dir,
      runtime: { node, env: bundles.image.env },
      stateDir: bundles.path('emulator-state'),
      namespace: `images-${Date.now().toString(36)}`,
      services: ['meeting-join', 'recording-compliance', 'media'],
    });
  }, 900_000);

  afterAll(async () => {
    await platform?.stop();
    bundles?.remove();
  });

  it('starts the entrypoint the Dockerfile names, with its ENV', () => {
    expect(bundles!.image.entrypoint).toEqual(['node', 'main.js']);
    expect(bundles!.image.env).toEqual({ NODE_ENV: 'production' });
  });

  it("resolves packages only from each app's own node_modules", () => {
    for (const app of bundles!.apps) expect(bundles!.moduleFolders(app)).toEqual([bundles!.path(app, 'node_modules')]);
  });

  it('runs every app on the Node major of the image', () => {
    const processes = [platform!.emulator.process, ...platform!.signaling, ...platform!.services.map((s) => s.process)];
    for (const proc of processes) expect([proc.options.name, readlinkSync(`/proc/${proc.child.pid}/exe`)]).toEqual([proc.options.name, node]);
  });

  it('starts the emulator and signaling, which answer their health checks', async () => {
    const { emulator, signalingUrls } = platform!;
    expect((await emulator.http.send('GET', `${emulator.baseUrl}/emulator/calls`)).status).toBe(200);
    expect((await emulator.http.send('GET', `${signalingUrls[0]}/health/live`)).status).toBe(200);
    expect((await emulator.http.send('GET', `${signalingUrls[0]}/health/ready`)).status).toBe(200);
  });

  it.each(['meeting-join', 'recording-compliance', 'media'])('starts %s, which answers /health/live', async (name) => {
    const service = platform!.services.find((s) => s.name === name)!;
    expect((await platform!.emulator.http.send('GET', `${service.httpUrl}/health/live`)).status).toBe(200);
  });

  it('starts media, whose gRPC health service says SERVING', async () => {
    const media = platform!.services.find((s) => s.name === 'media')!;
    const health = new HealthClient(`127.0.0.1:${media.grpcPort}`, credentials.createInsecure());
    try {
      const status = await new Promise<HealthCheckResponse_ServingStatus>((resolve, reject) =>
        health.check({ service: '' }, (err, res) => (err ? reject(err) : resolve(res.status))),
      );
      expect(status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    } finally {
      health.close();
    }
  });
});
