import { IvrDriver, loadExample } from '../../../test/ivr-driver';

/** A front-desk menu: 1 transfers, 2 records then thanks, wrong keys and silence retry twice. */
describe('main-menu flow', () => {
  const flow = loadExample('main-menu.yaml');

  it('subscribes to tones once and plays the welcome prompt as an absolute URI', () => {
    const call = new IvrDriver(flow);
    expect(call.kinds()).toEqual(['subscribeTones', 'play']);
    expect(call.last('play')).toEqual({ kind: 'play', prompts: ['https://cdn.example/prompts/hello.wav'], clientContext: 'welcome:2' });
    call.finishPrompt();
    expect(call.log.filter((c) => c.kind === 'subscribeTones')).toHaveLength(1);
    expect(call.last('play')).toMatchObject({ prompts: ['https://cdn.example/prompts/menu.wav'], bargeIn: true });
  });

  it('1 barges in on the menu and transfers to the agent from vars', () => {
    const call = new IvrDriver(flow);
    call.finishPrompt();
    expect(call.press('1')).toEqual([
      { kind: 'cancelMedia', clientContext: 'menu:4' },
      expect.objectContaining({ kind: 'emit', name: 'digits-collected', data: expect.objectContaining({ digits: '1', step: 'menu' }) }),
      {
        kind: 'transfer',
        target: { identity: { user: { id: '8:orgid:2a1b6f6e-0000-4000-8000-000000000001', displayName: 'Front desk' } } },
        clientContext: 'agent:5',
      },
    ]);
    expect(call.state.vars['choice']).toBe('1');
    expect(call.state.status).toBe('running');
  });

  it('2 records a message, publishes the recording, thanks the caller and hangs up', () => {
    const call = new IvrDriver(flow);
    call.finishPrompt();
    call.finishPrompt(); // the menu played out; the first-digit timer is armed
    expect(call.kinds(call.press('2'))).toEqual(['disarmTimer', 'emit:digits-collected', 'record']);
    const record = call.last('record');
    expect(record).toEqual({
      kind: 'record',
      prompt: 'https://cdn.example/prompts/after-beep.wav',
      maxDurationSeconds: 60,
      maxSilenceSeconds: 5,
      initialSilenceSeconds: 5,
      beep: true,
      stopTones: ['#'],
      clientContext: record.clientContext,
    });
    call.send({ type: 'recordCompleted', clientContext: record.clientContext, ok: true, location: 'https://media.example/rec/1', completionReason: 'stopToneDetected' }, 30_000);
    expect(call.commands).toContainEqual({
      kind: 'emit',
      name: 'recording-available',
      data: { callId: expect.any(String), flowId: expect.any(String), step: 'message', location: 'https://media.example/rec/1', completionReason: 'stopToneDetected', clientContext: record.clientContext },
    });
    expect(call.lastPlayed()).toEqual(['thanks.wav']);
    expect(call.state.recording).toEqual({ location: 'https://media.example/rec/1', completionReason: 'stopToneDetected' });
    call.finishPrompt();
    expect(call.kinds()).toEqual(['hangup', 'emit:flow-finished']);
    expect(call.state).toMatchObject({ status: 'finished', finishedReason: 'hangup' });
  });

  it('an invalid key replays the menu after an apology twice, then says goodbye and hangs up', () => {
    const call = new IvrDriver(flow);
    call.finishPrompt();
    for (let replay = 1; replay <= 2; replay++) {
      call.press('7');
      expect(call.lastPlayed()).toEqual(['sorry-invalid.wav', 'menu.wav']);
      expect(call.state.waiting).toMatchObject({ for: 'digits', attempt: replay });
    }
    call.press('9');
    expect(call.lastPlayed()).toEqual(['goodbye.wav']);
    expect(call.log.filter((c) => c.kind === 'emit' && c.name === 'digits-collected')).toHaveLength(0);
    call.finishPrompt();
    expect(call.kinds()).toEqual(['hangup', 'emit:flow-finished']);
  });

  it('silence times out through the first-digit timer and is retried with the no-input apology', () => {
    const call = new IvrDriver(flow);
    call.finishPrompt();
    call.finishPrompt();
    const timer = call.last('armTimer');
    expect(timer.dueAt).toBe(call.now + 5000);
    for (let replay = 1; replay <= 2; replay++) {
      call.fireTimer();
      expect(call.kinds()).toEqual(['play']); // a fired timer is not disarmed
      expect(call.lastPlayed()).toEqual(['sorry-no-input.wav', 'menu.wav']);
      call.finishPrompt();
    }
    call.fireTimer();
    expect(call.lastPlayed()).toEqual(['goodbye.wav']);
    expect(call.state.step).toBe('goodbye');
  });

  it('a failed transfer goes to onFailed', () => {
    const call = new IvrDriver(flow);
    call.finishPrompt();
    call.press('1');
    const transfer = call.last('transfer');
    call.send({ type: 'transferFailed', clientContext: 'someone-else:1', reason: 'declined' });
    expect(call.commands).toEqual([]);
    call.send({ type: 'transferFailed', clientContext: transfer.clientContext, reason: 'declined' });
    expect(call.commands[0]).toMatchObject({ kind: 'emit', name: 'step-failed', data: { error: 'transfer failed: declined', step: 'agent' } });
    expect(call.lastPlayed()).toEqual(['goodbye.wav']);
  });

  it('a failed recording goes to onFailed', () => {
    const call = new IvrDriver(flow);
    call.finishPrompt();
    call.press('2');
    call.send({ type: 'actionFailed', clientContext: call.last('record').clientContext, error: 'Graph 500' });
    expect(call.state.step).toBe('goodbye');
    expect(call.state.recording).toBeNull();
  });
});
