import { connect, type KV, type NatsConnection } from 'nats';
import { natsForSpecFile } from '@switchboard/dev-infra';
import type { CallInput, MediaHeartbeat } from '@switchboard/nats-contracts';
import { freshBookkeeping, type CallRecord } from '../orchestration/call-record';
import { CallStateStore } from '../orchestration/call-state-store';
import { endCallsOnPod } from './end-calls-on-pod';
import { MediaPodWatcher } from './media-pod-watcher';

const nats = natsForSpecFile();
const run = `mp${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

const record = (callId: string, fields: Partial<CallRecord>): CallRecord => ({
  callId,
  tenantId: 't',
  direction: 'incoming',
  state: 'established',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  handler: { kind: 'app', app: 'desk', media: 'appHosted' },
  ...freshBookkeeping(),
  ...fields,
});

describe('media pods on real NATS', () => {
  let nc: NatsConnection;
  beforeAll(async () => {
    nc = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    const jsm = await nc.jetstream().jetstreamManager();
    for (const bucket of [`${run}_calls`, `${run}_pods`]) await jsm.streams.delete(`KV_${bucket}`).catch(() => undefined);
    await nc.close();
  });

  it('tells only the live calls placed on the lost pod, once each', async () => {
    const store = await CallStateStore.open(nc, `${run}_calls`, { history: 1 });
    await store.write(record('c-1', { media: { pod: 'media-1', mediaCallId: 'c-1' } }), undefined);
    await store.write(record('c-2', { media: { pod: 'media-0', mediaCallId: 'c-2' } }), undefined);
    await store.write(record('c-3', { media: { pod: 'media-1', mediaCallId: 'c-3' }, state: 'terminated' }), undefined);
    await store.write(record('c-4', { media: { pod: 'media-1', mediaCallId: 'c-4', lost: 'earlier' } }), undefined);
    await store.write(record('c-5', {}), undefined);
    const told: { callId: string; input: CallInput }[] = [];
    const ended = await endCallsOnPod(store, { schedule: async (callId, input) => void told.push({ callId, input }) }, 'media-1', 'no heartbeat');
    expect(ended).toBe(1);
    expect(told).toEqual([{ callId: 'c-1', input: { kind: 'media-lost', requestId: 'media-lost:media-1', pod: 'media-1', reason: 'no heartbeat' } }]);
  });

  it('reports a pod whose heartbeat stops or whose entry is removed, and not one that keeps beating', async () => {
    const kv: KV = await nc.jetstream().views.kv(`${run}_pods`, { history: 1 });
    let now = Date.parse('2026-01-01T00:00:10Z');
    const beat = (pod: string) =>
      kv.put(pod, JSON.stringify({ pod, activeCalls: 1, maxCalls: 10, draining: false, at: new Date(now).toISOString(), intervalMs: 1000, grpcTarget: `${pod}:1` } satisfies MediaHeartbeat));
    const lost: string[] = [];
    const watcher = new MediaPodWatcher(kv, { checkIntervalMs: 60_000, onLost: async (pod, reason) => void lost.push(`${pod}: ${reason}`), log: () => undefined, now: () => now });
    await beat('media-0');
    await beat('media-1');
    await beat('media-2');
    await watcher.start();
    try {
      await waitFor(() => watcher.pods().length === 3);
      now += 2000;
      await beat('media-0');
      await kv.delete('media-2');
      await waitFor(() => lost.length === 1);
      now += 2000;
      await watcher.check();
      expect(lost).toEqual(['media-2: the pod removed its heartbeat (it stopped)', 'media-1: no heartbeat from the pod for 4000 ms']);
      await watcher.check();
      expect(lost).toHaveLength(2);
      expect(watcher.pods()).toEqual(['media-0']);
    } finally {
      await watcher.stop();
    }
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error('condition not met');
}
