import { E2eHarness } from './support/harness';
import { metricSum } from './support/metrics';

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

    const [intake, applier] = h.platform.signalingUrls;
    expect(await metricSum(intake, 'switchboard_webhook_notifications_total')).toBeGreaterThanOrEqual(CALLS);
    expect(await metricSum(applier, 'switchboard_webhook_notifications_total')).toBeGreaterThanOrEqual(CALLS);
    expect(await metricSum(intake, 'switchboard_call_inputs_total')).toBe(0);
    expect(await metricSum(applier, 'switchboard_call_inputs_total')).toBeGreaterThanOrEqual(4 * CALLS);
  });
});

