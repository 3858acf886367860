import { IvrDriver, loadExample } from '../../../test/ivr-driver';
import { parseFlow } from '../flow/parse-flow';

describe('gather', () => {
  const accounts = loadExample('account-lookup.yaml');

  it('restarts the inter-digit timer on each key and takes what was typed when it runs out', () => {
    const call = new IvrDriver(accounts);
    call.finishPrompt();
    const first = call.last('armTimer');
    call.press('1');
    expect(call.kinds()).toEqual(['disarmTimer', 'armTimer']);
    expect(call.last('disarmTimer').timerId).toBe(first.timerId);
    expect(call.last('armTimer').dueAt).toBe(call.now + 4000);
    call.press('234');
    call.fireTimer();
    expect(call.state.vars['account']).toBe('1234');
    expect(call.state.digits).toBe('1234');
    expect(call.state.step).toBe('hold');
  });

  it('ends input on finishOnKey, without the key', () => {
    const call = new IvrDriver(accounts);
    call.press('98765#');
    expect(call.state.vars['account']).toBe('98765');
    expect(call.log.filter((c) => c.kind === 'cancelMedia')).toHaveLength(1);
  });

  it('ends input at maxDigits without waiting for a timer', () => {
    const call = new IvrDriver(accounts);
    call.press('12345678');
    expect(call.state.vars['account']).toBe('12345678');
    expect(call.state.waiting).toMatchObject({ for: 'prompt' });
  });

  it('refuses digits that miss the pattern, then exhausts into the redirect', () => {
    const call = new IvrDriver(accounts);
    call.press('12#');
    expect(call.lastPlayed()).toEqual(['account-invalid.wav', 'enter-account.wav']);
    call.press('#'); // finish key with nothing typed counts as no input
    expect(call.kinds()).toEqual(['cancelMedia', 'redirect', 'emit:flow-finished']);
    expect(call.last('redirect')).toEqual({
      kind: 'redirect',
      targets: [
        { identity: { phone: { id: '+14255550111' } } },
        { identity: { applicationInstance: { id: '6b0a6d1c-0000-4000-8000-0000000000aa', displayName: 'Overflow queue' } } },
      ],
      timeoutSeconds: 30,
    });
    expect(call.state).toMatchObject({ status: 'finished', finishedReason: 'redirected' });
  });

  it('renders templates into set values and invites the team from vars', () => {
    const call = new IvrDriver(accounts);
    call.press('4242#');
    expect(call.state.vars['summary']).toBe('Caller Ada asked about account 4242');
    expect(call.last('invite').participants).toEqual([{ identity: { user: { id: '2d1b1f7a-0000-4000-8000-00000000beef', displayName: 'Accounts team' } } }]);
    call.finishPrompt();
    expect(call.kinds()).toEqual(['hangup', 'emit:flow-finished']);
  });

  it('ignores a stale timer that fires after it was disarmed', () => {
    const call = new IvrDriver(accounts);
    call.finishPrompt();
    const stale = call.last('armTimer');
    call.press('5');
    const before = call.state;
    call.send({ type: 'timerFired', timerId: stale.timerId }, 10_000);
    expect(call.commands).toEqual([]);
    expect(call.state).toEqual(before);
    expect(call.state.waiting).toMatchObject({ for: 'digits', digits: '5' });
  });

  it('ignores a replayed promptCompleted and a replayed tone', () => {
    const call = new IvrDriver(loadExample('main-menu.yaml'));
    const welcome = call.last('play');
    call.finishPrompt();
    const atMenu = call.state;
    call.send({ type: 'promptCompleted', clientContext: welcome.clientContext, ok: true });
    expect(call.commands).toEqual([]);
    expect(call.state).toEqual(atMenu);

    call.send({ type: 'tone', digit: '7', sequenceId: 4 });
    const afterFirst = call.state;
    call.send({ type: 'tone', digit: '7', sequenceId: 4 });
    expect(call.commands).toEqual([]);
    expect(call.state).toEqual(afterFirst);
    expect(call.state.waiting).toMatchObject({ attempt: 1 });
  });

  it('starts the first-digit timer when the menu prompt fails, and reports the failure', () => {
    const call = new IvrDriver(loadExample('main-menu.yaml'));
    call.finishPrompt();
    call.finishPrompt(false);
    expect(call.kinds()).toEqual(['emit:step-failed', 'armTimer']);
  });

  it('without a prompt arms the first-digit timer at once; default routes unmatched digits', () => {
    const flow = parseFlow(
      [
        'id: plain',
        'version: 1',
        'start: ask',
        'steps:',
        '  ask:',
        '    gather: { maxDigits: 2, firstDigitTimeoutMs: 1000, retries: 0 }',
        '    branches: { "11": eleven }',
        '    default: other',
        '    onExhausted: bye',
        '  eleven: { hangup: {} }',
        '  other: { set: { got: "{{digits}}" }, next: bye }',
        '  bye: { hangup: {} }',
      ].join('\n'),
      'plain.yaml',
    );
    const call = new IvrDriver(flow);
    expect(call.kinds()).toEqual(['subscribeTones', 'armTimer']);
    call.press('42');
    expect(call.state.vars['got']).toBe('42');
    expect(call.state.finishedReason).toBe('hangup');

    const silent = new IvrDriver(flow);
    silent.fireTimer();
    expect(silent.state.step).toBe('bye');
  });
});
