import { randomBytes } from 'node:crypto';
import { waitUntil } from '@switchboard/dev-infra';
import { CustomerApp, verifySwitchboardSignature, type AppAnswer, type ReceivedRequest } from './support/customer-app';
import type { E2eHarness } from './support/harness';
import { useIvrPlatform } from './support/ivr-platform';

/**
 * fixtures/ivr/flows/ask-app.yaml: the caller types an account number, the flow asks the customer's app (a signed
 * webhook) what to do next, and plays what the app chose; when the app fails or is too slow, the fallback runs.
 */
describe('a webhook-driven flow, end to end', () => {
  const secret = randomBytes(24).toString('hex');
  /** How the app answers each call (by call id); unlisted calls get the app's steps. */
  const behaviour = new Map<string, AppAnswer>();
  const appSteps = (request: ReceivedRequest): AppAnswer => ({
    status: 200,
    body: [{ play: [`https://app.e2e.test/prompts/balance-${String(request.payload['digits'])}.wav`] }, { hangup: {} }],
  });
  let app: CustomerApp;
  let h: E2eHarness;

  beforeAll(async () => {
    app = await CustomerApp.start(secret, (request) => behaviour.get(String(request.payload['callId'])) ?? appSteps(request));
  });
  afterAll(() => app?.stop());
  useIvrPlatform(() => ({ customerAppUrl: app.url, signalingEnv: { FLOW_WEBHOOK_SECRET: secret } }), (harness) => (h = harness));

  /** A call from a caller the routing sends to ask-app; the person types `digits` at the account prompt. */
  async function callAndType(digits: string, answer?: AppAnswer): Promise<string> {
    const callId = await h.incomingCall({ caller: { id: `app-caller-${randomBytes(4).toString('hex')}`, displayName: 'Ada Lovelace' } });
    if (answer) behaviour.set(callId, answer);
    await h.waitForRequests(callId, (rs) => rs.some((r) => JSON.stringify(r.body ?? '').includes('enter-account.wav')), 'the account prompt');
    await h.control('POST', `/emulator/calls/${callId}/tones`, { tones: `${digits}#`, gapMs: 50 });
    return callId;
  }

  it('runs the fallback when the app does not answer within the timeout, and ignores its late answer', async () => {
    // Four times the step's 1 s timeout: the platform gives up first even when a loaded machine fires its timers late.
    const slow: AppAnswer = { status: 200, body: [{ play: ['https://app.e2e.test/prompts/too-late.wav'] }], delayMs: 4000 };
    const callId = await callAndType('12345', slow);

    await h.waitForActions(callId, ['DELETE']);
    const [request] = app.requestsOf(callId);
    const failed = await h.waitForFlowEvent(callId, 'webhook-failed');
    expect(failed.data).toMatchObject({ step: 'ask' });
    const prompts = (await h.promptRequests(callId)).map((p) => p.prompts);
    expect(prompts).toEqual([['enter-account.wav'], ['app-unavailable.wav'], ['goodbye.wav']]);
    await waitUntil(() => request.doneAt !== undefined, 'the app to send its late answer');
    // The flow gave up on its timeout, before the app answered.
    expect(Date.parse(failed.occurredAt)).toBeLessThan(request.doneAt!);
    await new Promise((r) => setTimeout(r, 300));
    expect(JSON.stringify(await h.graphRequests(callId))).not.toContain('too-late.wav');
  });

  it('sends a signed request with the call, digits and variables, and plays the prompt the app chose', async () => {
    const callId = await callAndType('4711');

    const actions = await h.waitForActions(callId, ['DELETE']);
    const [request, ...more] = app.requestsOf(callId);
    expect(more).toEqual([]);
    expect(request.signatureValid).toBe(true);
    // The check is real: the same request does not verify with another secret or a changed body.
    const header = String(request.headers['switchboard-signature']);
    expect(verifySwitchboardSignature(header, request.rawBody, `${secret}x`)).toBe(false);
    expect(verifySwitchboardSignature(header, request.rawBody.replace('4711', '4712'), secret)).toBe(false);
    expect(request.path).toBe('/ivr/next');
    expect(request.headers['switchboard-call']).toBe(callId);
    expect(request.payload).toMatchObject({
      callId,
      flowId: 'ask-app',
      step: 'ask',
      digits: '4711',
      vars: { channel: 'phone', account: '4711' },
      caller: { displayName: 'Ada Lovelace', id: expect.stringMatching(/^app-caller-/) },
    });

    const prompts = await h.promptRequests(callId);
    expect(prompts.map((p) => p.prompts)).toEqual([['enter-account.wav'], ['balance-4711.wav']]);
    const chosen = (await h.graphRequests(callId)).find((r) => JSON.stringify(r.body ?? '').includes('balance-4711.wav'));
    expect(JSON.stringify(chosen?.body)).toContain('https://app.e2e.test/prompts/balance-4711.wav');
    expect(actions.filter((a) => a === 'DELETE')).toHaveLength(1);
    expect((await h.waitForFlowEvent(callId, 'digits-collected')).data).toMatchObject({ digits: '4711' });
    expect(h.events.some((e) => e.callId === callId && e.type === 'flow-event' && e.name === 'webhook-failed')).toBe(false);
  });

  it('runs the fallback when the app answers 500', async () => {
    const callId = await callAndType('500', { status: 500, body: { error: 'database down' } });

    await h.waitForActions(callId, ['DELETE']);
    expect(app.requestsOf(callId)).toHaveLength(1);
    const failed = await h.waitForFlowEvent(callId, 'webhook-failed');
    expect(failed.data).toMatchObject({ step: 'ask', reason: expect.stringContaining('500') });
    const prompts = (await h.promptRequests(callId)).map((p) => p.prompts);
    expect(prompts).toEqual([['enter-account.wav'], ['app-unavailable.wav'], ['goodbye.wav']]);
  });

});
