import type { KV, KvEntry } from 'nats';
import { GrantStore } from './grant-store';
import type { GrantRecord } from './grant-record';

const grant = (callId: string): GrantRecord => ({
  grantId: `g-${callId}`,
  callId,
  recorder: 'pod-1',
  state: 'active',
  requestedAt: '2026-01-01T00:00:00.000Z',
  expiresAt: 1,
  renewals: 0,
  statusesSent: [],
});

/** A key listing that yields `keys`, then ends, or (`ends: false`) waits until it is stopped, as a stuck one does. */
function listing(keys: string[], ends: boolean) {
  let stop!: (error: Error) => void;
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  return {
    stop: (error?: Error) => stop(error ?? new Error('stopped')),
    async *[Symbol.asyncIterator]() {
      yield* keys;
      if (!ends) await stopped;
    },
  };
}

function bucket(grants: GrantRecord[], ends: boolean): KV {
  const stored = new Map(grants.map((g) => [g.callId, g]));
  const get = async (key: string): Promise<KvEntry | null> => {
    const value = stored.get(key);
    return value ? ({ operation: 'PUT', value: new TextEncoder().encode(JSON.stringify(value)), length: 1, revision: 1 } as unknown as KvEntry) : null;
  };
  return { keys: async () => listing([...stored.keys()], ends), get } as unknown as KV;
}

describe('GrantStore.all', () => {
  it('returns every grant the listing names', async () => {
    const store = new GrantStore(bucket([grant('call-1'), grant('call-2')], true), 1_000);
    expect((await store.all()).map((g) => g.callId).sort()).toEqual(['call-1', 'call-2']);
  });

  it('fails, naming the deadline, when the key listing never ends, rather than waiting for good', async () => {
    const store = new GrantStore(bucket([grant('call-1')], false), 50);
    await expect(store.all()).rejects.toThrow('listing the grants took longer than 50 ms');
  });
});
