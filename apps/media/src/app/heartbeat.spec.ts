import { connect, type KV, type NatsConnection } from 'nats';
import { natsForSpecFile } from '@switchboard/dev-infra';
import { mediaHeartbeatSchema, natsNames, type MediaHeartbeat as Heartbeat } from '@switchboard/nats-contracts';
import { captureLogs, createLogger } from '@switchboard/service-kit';
import { CallRegistry } from './call-registry';
import { MediaHeartbeat, openMediaPodsBucket } from './heartbeat';

const nats = natsForSpecFile();

describe('media heartbeat', () => {
  let nc: NatsConnection;
  let kv: KV;
  const names = natsNames(`hb-${process.pid}-${Date.now() % 100000}`);
  const logs = captureLogs();
  const logger = createLogger({ service: 'media', level: 'debug', destination: logs.stream });

  beforeAll(async () => {
    nc = await connect({ servers: nats.url });
    kv = await openMediaPodsBucket(nc.jetstream(), names, 200);
  });
  afterAll(async () => {
    await kv.destroy();
    await nc.close();
  });

  const read = async (pod: string): Promise<Heartbeat | undefined> => {
    const entry = await kv.get(pod);
    if (!entry || entry.operation !== 'PUT') return undefined;
    return mediaHeartbeatSchema.parse(entry.json());
  };
  const until = async <T>(probe: () => Promise<T | undefined>, timeoutMs = 3000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('keeps the bucket entry a few intervals after the last write', async () => {
    const status = await kv.status();
    expect(status.ttl).toBe(200 * 6);
    expect(status.history).toBe(1);
  });

  it('writes the pod load every interval', async () => {
    const calls = new CallRegistry({ podName: 'media-6', maxCalls: 4, preparedCallTtlMs: 60_000 });
    const heartbeat = new MediaHeartbeat({ kv, podName: 'media-6', calls, intervalMs: 200, grpcTarget: 'media-6:50051', logger });
    await heartbeat.start();
    expect(await read('media-6')).toMatchObject({ pod: 'media-6', activeCalls: 0, maxCalls: 4, draining: false, intervalMs: 200, grpcTarget: 'media-6:50051' });
    calls.prepare('call-1');
    await until(async () => ((await read('media-6'))?.activeCalls === 1 ? true : undefined));
    await heartbeat.stop({ remove: false });
    expect(await read('media-6')).toMatchObject({ activeCalls: 1 });
  });

  it('writes at once when the pod starts draining, and removes its entry when stopped', async () => {
    const calls = new CallRegistry({ podName: 'media-7', maxCalls: 4, preparedCallTtlMs: 60_000 });
    // An interval far beyond the test: every write after the first is one the drain caused.
    const heartbeat = new MediaHeartbeat({ kv, podName: 'media-7', calls, intervalMs: 60_000, logger });
    await heartbeat.start();
    expect(await read('media-7')).toMatchObject({ draining: false });
    calls.startDrain();
    await until(async () => ((await read('media-7'))?.draining ? true : undefined), 1000);

    await heartbeat.stop({ remove: true });
    expect(await read('media-7')).toBeUndefined();
  });

  it('logs one warning per outage and carries on beating', async () => {
    let failing = true;
    const puts: string[] = [];
    const flaky = {
      put: async (key: string) => {
        if (failing) throw new Error('no responders');
        puts.push(key);
        return 1;
      },
      delete: async () => undefined,
    };
    const calls = new CallRegistry({ podName: 'media-8', maxCalls: 4, preparedCallTtlMs: 60_000 });
    const heartbeat = new MediaHeartbeat({ kv: flaky, podName: 'media-8', calls, intervalMs: 50, logger });
    await heartbeat.start();
    await heartbeat.beat();
    await heartbeat.beat();
    failing = false;
    await until(async () => (puts.length > 0 ? true : undefined));
    await heartbeat.stop({ remove: false });
    const lines = logs.lines().filter((l) => l['pod'] === 'media-8');
    expect(lines.filter((l) => l['msg'] === 'heartbeat not written; retrying every interval')).toHaveLength(1);
    expect(lines.some((l) => l['msg'] === 'heartbeats written again')).toBe(true);
  });
});
