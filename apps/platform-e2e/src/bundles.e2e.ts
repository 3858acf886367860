import { credentials } from '@grpc/grpc-js';
import { launchPlatform, type RunningPlatform } from '@switchboard/dev-infra';
import { HealthClient, HealthCheckResponse_ServingStatus } from '@switchboard/media-proto';
import { installBundles, type InstalledBundles } from './support/bundles';

/**
 * What a container image gets: each app's dist folder and the packages its generated package.json and lock file
 * name, installed with `npm ci --omit=dev` in a folder outside the workspace (so nothing resolves from the
 * workspace's node_modules). The whole platform is started from those copies and each app must come up healthy.
 */
describe('each app bundle boots with only the dependencies it declares', () => {
  let bundles: InstalledBundles | undefined;
  let platform: RunningPlatform | undefined;

  beforeAll(async () => {
    delete process.env['NODE_PATH']; // the apps inherit this process's environment
    bundles = await installBundles(['graph-emulator', 'signaling', 'meeting-join', 'recording-compliance', 'media']);
    platform = await launchPlatform({
      appsDir: bundles.dir,
      stateDir: bundles.path('emulator-state'),
      namespace: `bundles-${Date.now().toString(36)}`,
      services: ['meeting-join', 'recording-compliance', 'media'],
    });
  }, 600_000);

  afterAll(async () => {
    await platform?.stop();
    bundles?.remove();
  });

  it("resolves packages only from each app's own node_modules", () => {
    for (const app of bundles!.apps) expect(bundles!.moduleFolders(app)).toEqual([bundles!.path(app, 'node_modules')]);
  });

  it('starts the emulator and signaling, which answer their health checks', async () => {
    const { emulator, signalingUrls } = platform!;
    expect((await emulator.http.send('GET', `${emulator.baseUrl}/emulator/calls`)).status).toBe(200);
    expect((await emulator.http.send('GET', `${signalingUrls[0]}/health/live`)).status).toBe(200);
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
