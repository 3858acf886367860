import { E2eHarness } from './support/harness';

const CALLS = 6;

/**
 * A replica started with APPLY_CALL_INPUTS=false takes Graph's callbacks and stores them, and applies nothing; the
 * replica beside it applies what both store. The balancer sends Graph's notifications to both in turn, so every call
 * has notifications stored by the intake replica, and every call is still answered, greeted and ended.
 */
describe('intake replicas: one replica only stores notifications, the other applies them', () => {
  let h: E2eHarness;

  beforeAll(async () => {
    h = await E2eHarness.start({ signalingReplicas: 2, signalingReplicaEnv: { 0: { APPLY_CALL_INPUTS: 'false' } } });
  });
  afterAll(() => h?.stop());

  it('answers every call through the applying replica, with notifications taken in by both', async () => {
    const callIds = await Promise.all(Array.from({ length: CALLS }, (_, i) => h.incomingCall({ caller: { displayName: `Caller ${i}` } })));
    for (const callId of callIds) await h.waitForActions(callId, ['answer', 'subscribeToTone', 'playPrompt']);
    for (const callId of callIds) await h.waitForEvent(callId, 'established');
    for (const callId of callIds) await h.control('POST', `/emulator/calls/${callId}/hangup`);
    for (const callId of callIds) await h.waitForEvent(callId, 'terminated');
    for (const callId of callIds) expect(await h.callRecord(callId)).toMatchObject({ state: 'terminated', outbox: [] });

    const [intake, applier] = await Promise.all(h.platform.signalingUrls.map((url) => metrics(url)));
    expect(counted(intake, 'switchboard_webhook_notifications_total')).toBeGreaterThanOrEqual(CALLS);
    expect(counted(applier, 'switchboard_webhook_notifications_total')).toBeGreaterThanOrEqual(CALLS);
    expect(counted(intake, 'switchboard_call_inputs_total')).toBe(0);
    expect(counted(applier, 'switchboard_call_inputs_total')).toBeGreaterThanOrEqual(4 * CALLS);
  });
});

async function metrics(origin: string): Promise<string> {
  const res = await fetch(`${origin}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

/** The sum of a counter's samples across its labels (0 when it has none). */
function counted(exposition: string, name: string): number {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
