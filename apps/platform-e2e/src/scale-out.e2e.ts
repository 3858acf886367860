import { waitUntil } from '@switchboard/dev-infra';
import type { GraphRequestLogEntry } from './support/harness';
import { E2eHarness } from './support/harness';

const CALLS = 8;

/**
 * Two signaling replicas behind a balancer share the same JetStream consumer. One is killed (SIGKILL) while calls
 * are in the middle of their flow; every call still finishes, and no Graph action is sent twice.
 */
describe('scale-out: a replica killed mid-call', () => {
  let h: E2eHarness;

  beforeAll(async () => {
    h = await E2eHarness.start({
      signalingReplicas: 2,
      // Short leases and ack waits so the survivor takes over within seconds.
      signalingEnv: { CLAIM_LEASE_MS: '2000', ACK_WAIT_MS: '4000' },
    });
  });
  afterAll(() => h?.stop());

  it('finishes every call with each action sent once', async () => {
    const script = [{ wait: 300 }, ...Array.from({ length: 5 }, () => ({ press: '1', gapMs: 0 })).flatMap((p) => [p, { wait: 400 }]), { hangup: true }];
    const callIds = await Promise.all(
      Array.from({ length: CALLS }, async (_, i) =>
        (await h.control<{ callId: string }>('POST', '/emulator/calls/incoming', { caller: { displayName: `Caller ${i}` }, script })).callId,
      ),
    );
    // Kill a replica while keys are flowing on every call: each call's remaining inputs are applied by the survivor.
    await Promise.all(callIds.map((id) => h.waitForEvent(id, 'tone', 30_000)));
    await h.platform.signaling[1].kill();

    for (const id of callIds) await h.waitForEvent(id, 'terminated', 60_000);

    for (const id of callIds) {
      const requests = (await h.graphRequests(id)).filter((r) => !isFaulted(r));
      const count = (action: string) => requests.filter((r) => r.path.endsWith(`/${action}`)).length;
      expect({ id, answer: count('answer'), subscribeToTone: count('subscribeToTone'), playPrompt: count('playPrompt') }).toEqual({
        id,
        answer: 1,
        subscribeToTone: 1,
        playPrompt: 1,
      });
      // A tone the killed replica held comes back after its ack wait, possibly after later ones: none is lost.
      const tones = () => h.events.filter((e) => e.callId === id && e.type === 'tone');
      await waitUntil(() => tones().length >= 5, `the five tones of ${id}`, 15_000, 50).catch(() => undefined);
      expect(tones().map((t) => (t.type === 'tone' ? t.sequenceId : 0)).sort()).toEqual([1, 2, 3, 4, 5]);
      expect(await h.callRecord(id)).toMatchObject({ state: 'terminated', outbox: [] });
    }
  });
});

const isFaulted = (r: GraphRequestLogEntry & { faulted?: boolean }) => r.faulted === true;
