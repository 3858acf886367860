import type { E2eHarness } from './support/harness';
import { useIvrPlatform } from './support/ivr-platform';

const INTERVAL_MS = 1500;

/** keepAlive is driven from the stored call state on a durable timer; the interval is shortened by configuration. */
describe('keepAlive on a live call, end to end', () => {
  let h: E2eHarness;
  useIvrPlatform({ signalingEnv: { KEEPALIVE_INTERVAL_MS: String(INTERVAL_MS) } }, (harness) => (h = harness));

  const keepAlives = async (callId: string) => (await h.graphRequests(callId)).filter((r) => r.method === 'POST' && r.path.endsWith('/keepAlive'));

  it('sends a keepAlive every interval while the call is up, and none after it ends', async () => {
    // The listen flow waits a minute for a key; the caller hangs up after about 4 s.
    const callId = await h.incomingCall({ caller: { id: 'listener-1', displayName: 'Patient Caller' }, script: [{ wait: 4200 }, { hangup: true }] });
    const established = await h.waitForEvent(callId, 'established');

    const terminated = await h.waitForEvent(callId, 'terminated');
    expect(terminated.resultInfo).toMatchObject({ code: 200, subcode: 4097 });
    const during = await keepAlives(callId);
    expect(during.length).toBeGreaterThanOrEqual(2);
    expect(during.every((r) => r.status === 200)).toBe(true);
    // Well inside the interval: the first is not sent before one interval has passed.
    const upMs = Date.parse(terminated.occurredAt) - Date.parse(established.occurredAt);
    expect(during.length).toBeLessThanOrEqual(Math.floor(upMs / INTERVAL_MS));

    await new Promise((r) => setTimeout(r, 2 * INTERVAL_MS + 500));
    expect(await keepAlives(callId)).toHaveLength(during.length);
    expect(await h.callRecord(callId)).toMatchObject({ state: 'terminated', timers: {}, outbox: [] });
    expect(h.events.some((e) => e.callId === callId && e.type === 'effect-failed')).toBe(false);
  });
});
