import { E2eHarness } from './support/harness';

/**
 * The foundation's promise: the emulator (as Graph) calls the bot; signaling authenticates the signed callback,
 * stores it in JetStream, answers, plays the welcome prompt, subscribes to tones; the caller presses 1 and hangs up.
 */
describe('a first call, end to end', () => {
  let h: E2eHarness;

  beforeAll(async () => {
    h = await E2eHarness.start();
  });
  afterAll(() => h?.stop());

  it('answers, prompts, hears a key and sees the hang-up', async () => {
    const { callId } = await h.control<{ callId: string }>('POST', '/emulator/calls/incoming', { caller: { displayName: 'Ada Lovelace' } });

    const actions = await h.waitForActions(callId, ['answer', 'subscribeToTone', 'playPrompt']);
    expect(actions.slice(0, 3)).toEqual(['answer', 'subscribeToTone', 'playPrompt']);
    const answer = (await h.graphRequests(callId)).find((r) => r.path.endsWith('/answer'));
    expect(answer).toMatchObject({
      status: 202,
      body: { acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } },
    });
    expect(answer?.clientRequestId).toMatch(/[0-9a-f-]{36}/);

    const incoming = await h.waitForEvent(callId, 'incoming');
    expect(incoming.caller).toMatchObject({ kind: 'user', displayName: 'Ada Lovelace' });
    await h.waitForEvent(callId, 'established');

    await h.control('POST', `/emulator/calls/${callId}/tones`, { tones: '1' });
    const tone = await h.waitForEvent(callId, 'tone');
    expect(tone).toMatchObject({ tone: 'tone1', digit: '1', sequenceId: expect.any(Number) });

    await h.control('POST', `/emulator/calls/${callId}/hangup`);
    const terminated = await h.waitForEvent(callId, 'terminated');
    expect(terminated.resultInfo).toMatchObject({ code: 200 });
    expect(terminated.explanation?.outcome).toBe('success');

    expect(await h.callRecord(callId)).toMatchObject({ callId, state: 'terminated', outbox: [] });

    // Events arrive in the order they happened.
    const order = h.events.filter((e) => e.callId === callId).map((e) => e.type);
    expect(order.indexOf('incoming')).toBeLessThan(order.indexOf('established'));
    expect(order.indexOf('tone')).toBeLessThan(order.indexOf('terminated'));
  });
});
