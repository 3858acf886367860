import type { E2eHarness } from './support/harness';
import { useIvrPlatform } from './support/ivr-platform';

/** Graph answering 503 once: the prompt is sent again (same client-request-id) and the flow carries on. */
describe('a Graph fault during a flow, end to end', () => {
  let h: E2eHarness;
  useIvrPlatform({}, (harness) => (h = harness));

  it('retries a playPrompt that failed with 503 once, plays it exactly once more, and goes on to the menu', async () => {
    await h.control('POST', '/emulator/faults', { path: '/playPrompt', method: 'POST', status: 503, count: 1 });
    const callId = await h.incomingCall({ caller: { displayName: 'Unlucky Caller' } });

    await h.waitForRequests(callId, (rs) => rs.some((r) => JSON.stringify(r.body ?? '').includes('menu.wav')), 'the menu prompt after the retried welcome');
    const [faulted, retried, menu] = await h.promptRequests(callId);
    expect(faulted).toMatchObject({ status: 503, faulted: true, prompts: ['hello.wav'] });
    expect(retried).toMatchObject({ status: 200, faulted: false, prompts: ['hello.wav'], clientContext: faulted.clientContext });
    expect(retried.clientRequestId).toBe(faulted.clientRequestId);
    expect(menu.prompts).toEqual(['menu.wav']);
    expect((await h.control<{ value: unknown[] }>('GET', '/emulator/faults')).value).toEqual([]);

    await h.control('POST', `/emulator/calls/${callId}/hangup`);
    await h.waitForEvent(callId, 'terminated');
    const welcomes = (await h.promptRequests(callId)).filter((p) => p.prompts.includes('hello.wav'));
    expect(welcomes).toHaveLength(2);
    const welcomeDone = h.events.filter((e) => e.callId === callId && e.type === 'operation-completed' && e.clientContext === faulted.clientContext);
    expect(welcomeDone).toMatchObject([{ status: 'completed', operationKind: 'playPromptOperation' }]);
    expect(h.events.some((e) => e.callId === callId && e.type === 'effect-failed')).toBe(false);
  });
});
