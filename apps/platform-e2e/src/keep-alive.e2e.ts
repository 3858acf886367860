import { waitUntil } from '@switchboard/dev-infra';
import type { E2eHarness } from './support/harness';
import { useIvrPlatform } from './support/ivr-platform';

const INTERVAL_MS = 1500;

/** keepAlive is driven from the stored call state on a durable timer; the interval is shortened by configuration. */
describe('keepAlive on a live call, end to end', () => {
  let h: E2eHarness;
  useIvrPlatform({ signalingEnv: { KEEPALIVE_INTERVAL_MS: String(INTERVAL_MS) } }, (harness) => (h = harness));

  const keepAlives = async (callId: string) => (await h.graphRequests(callId)).filter((r) => r.method === 'POST' && r.path.endsWith('/keepAlive'));

  it('sends a keepAlive every interval while the call is up, and none after it ends', async () => {
    // The listen flow waits a minute for a key; the caller stays until the test hangs up, once two keepAlives went
    // out (however late a loaded machine sends them).
    const callId = await h.incomingCall({ caller: { id: 'listener-1', displayName: 'Patient Caller' }, script: [{ wait: 60_000 }] });
    const established = await h.waitForEvent(callId, 'established');
    await waitUntil(async () => (await keepAlives(callId)).length >= 2, `two keepAlives on ${callId}`, 30_000, 100);
    await h.control('POST', `/emulator/calls/${callId}/hangup`);

    const terminated = await h.waitForEvent(callId, 'terminated');
    expect(terminated.resultInfo).toMatchObject({ code: 200, subcode: 4097 });
    const during = await keepAlives(callId);
    expect(during.every((r) => r.status === 200)).toBe(true);
    // Timers never fire early: the first keepAlive is due one interval after the call was established (the same
    // instant, on the same machine's clock), and the k-th no earlier than k intervals after it. How late they come
    // depends on the load, so only these bounds are asserted (ISO timestamps count whole milliseconds).
    const establishedAt = Date.parse(established.occurredAt);
    expect(Date.parse(during[0]!.at) - establishedAt).toBeGreaterThanOrEqual(INTERVAL_MS - 1);
    expect(during.length).toBeLessThanOrEqual(Math.floor((Date.parse(terminated.occurredAt) - establishedAt) / INTERVAL_MS));

    await new Promise((r) => setTimeout(r, 2 * INTERVAL_MS + 500));
    expect(await keepAlives(callId)).toHaveLength(during.length);
    expect(await h.callRecord(callId)).toMatchObject({ state: 'terminated', timers: {}, outbox: [] });
    expect(h.events.some((e) => e.callId === callId && e.type === 'effect-failed')).toBe(false);
  });
});
