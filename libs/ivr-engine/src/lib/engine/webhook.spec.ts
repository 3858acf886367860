import { IvrDriver, loadExample } from '../../../test/ivr-driver';

describe('webhook steps', () => {
  const flow = loadExample('ask-app.json');

  function atWebhook(): IvrDriver {
    const call = new IvrDriver(flow);
    call.finishPrompt();
    return call;
  }

  it('posts the call, step, vars, digits and caller to the rendered URL and arms a backstop timer', () => {
    const call = atWebhook();
    expect(call.kinds()).toEqual(['webhook', 'armTimer']);
    const webhook = call.last('webhook');
    expect(webhook).toEqual({
      kind: 'webhook',
      requestId: webhook.requestId,
      url: 'https://customer.example/ivr?tenant=tenant-1',
      payload: { callId: 'call-1', flowId: 'ask-app', step: 'ask-app', vars: {}, digits: null, caller: { id: '+14255550123', displayName: 'Ada', kind: 'phone' } },
      timeoutMs: 3000,
    });
    expect(call.last('armTimer').dueAt).toBe(call.now + 3000);
  });

  it('runs the answered steps in order, then the webhook step\'s next', () => {
    const call = atWebhook();
    const body = JSON.stringify([{ set: { reason: 'billing for {{caller.displayName}}' } }, { play: ['billing.wav'] }, { play: ['https://other.example/x.wav'] }]);
    call.send({ type: 'webhookAnswered', requestId: call.last('webhook').requestId, steps: body }, 120);
    expect(call.kinds()).toEqual(['disarmTimer', 'play']);
    expect(call.state.vars['reason']).toBe('billing for Ada');
    expect(call.state.step).toBe('ask-app#1');
    expect(call.lastPlayed()).toEqual(['billing.wav']);
    call.finishPrompt();
    expect(call.last('play').prompts).toEqual(['https://other.example/x.wav']);
    call.finishPrompt();
    expect(call.state.step).toBe('goodbye');
    expect(call.state.inline).toBeNull();
  });

  it('lets answered steps route into the flow and gather with branches', () => {
    const call = atWebhook();
    const steps = [{ gather: { prompt: ['pick.wav'], maxDigits: 1 }, branches: { '9': 'operator' }, onExhausted: 'bye' }];
    call.send({ type: 'webhookAnswered', requestId: call.last('webhook').requestId, steps });
    call.press('9');
    expect(call.last('transfer').target).toEqual({ identity: { phone: { id: '+14255550100' } } });
  });

  it('goes to the fallback when the answer does not come in time; a late answer is ignored', () => {
    const call = atWebhook();
    const { requestId } = call.last('webhook');
    call.fireTimer();
    expect(call.commands[0]).toMatchObject({ kind: 'emit', name: 'webhook-failed', data: { reason: 'no answer within 3000 ms' } });
    expect(call.state.step).toBe('fallback-menu');
    expect(call.kinds()).not.toContain('disarmTimer');
    const before = call.state;
    call.send({ type: 'webhookAnswered', requestId, steps: [{ hangup: {} }] });
    expect(call.commands).toEqual([]);
    expect(call.state).toEqual(before);
  });

  it('goes to the fallback when the platform reports an HTTP error or timeout', () => {
    const call = atWebhook();
    call.send({ type: 'webhookAnswered', requestId: call.last('webhook').requestId, error: 'timeout after 3000 ms' });
    expect(call.kinds()).toEqual(['emit:webhook-failed', 'disarmTimer', 'play']);
    expect(call.state.step).toBe('fallback-menu');
  });

  it('goes to the fallback with line-precise issues when the answer is not valid steps', () => {
    const call = atWebhook();
    const body = '[\n  { "play": ["a.wav"] },\n  { "gather": { "maxDigits": 99 } },\n  { "goto": "nowhere" }\n]';
    call.send({ type: 'webhookAnswered', requestId: call.last('webhook').requestId, steps: body });
    const failed = call.commands[0];
    expect(failed).toMatchObject({ kind: 'emit', name: 'webhook-failed' });
    expect(failed.kind === 'emit' && failed.name === 'webhook-failed' && failed.data.issues).toEqual([
      'answer to ask-app:3:30: [1].gather.maxDigits: must be between 1 and 32',
    ]);
    expect(call.state.step).toBe('fallback-menu');
    expect(call.state.inline).toBeNull();
  });

  it('refuses answered steps that name steps the flow does not have', () => {
    const call = atWebhook();
    call.send({ type: 'webhookAnswered', requestId: call.last('webhook').requestId, steps: [{ goto: 'nowhere' }] });
    const failed = call.commands[0];
    expect(failed.kind === 'emit' && failed.name === 'webhook-failed' && failed.data.issues).toEqual(['answer to ask-app: [0].goto: no step named "nowhere"']);
    expect(call.state.step).toBe('fallback-menu');
  });

  it('lets an answered webhook step ask again; after the second answer the flow goes on where the first said', () => {
    const call = atWebhook();
    call.send({ type: 'webhookAnswered', requestId: call.last('webhook').requestId, steps: [{ webhook: { url: 'https://customer.example/more', fallback: 'bye' } }] });
    const second = call.last('webhook');
    expect(second).toMatchObject({ url: 'https://customer.example/more', payload: { step: 'ask-app#0' } });
    call.send({ type: 'webhookAnswered', requestId: second.requestId, steps: [{ play: ['more.wav'] }] });
    expect(call.state.step).toBe('ask-app#0');
    call.finishPrompt();
    expect(call.state.step).toBe('goodbye');
  });
});
