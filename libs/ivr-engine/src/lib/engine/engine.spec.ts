import { IvrDriver, loadExample } from '../../../test/ivr-driver';
import type { Flow } from '../flow/flow-model';
import { IvrEngineError, type IvrInput } from './ivr-types';
import { resumeFlow, startFlow } from './engine';

describe('engine contract', () => {
  const flow = loadExample('main-menu.yaml');

  it('keeps state as plain JSON: a stored and reloaded state behaves the same', () => {
    const call = new IvrDriver(flow);
    call.finishPrompt();
    const reloaded = JSON.parse(JSON.stringify(call.state));
    expect(reloaded).toEqual(call.state);
    const input: IvrInput = { type: 'tone', digit: '2', sequenceId: 1 };
    expect(resumeFlow(flow, reloaded, input, call.now)).toEqual(resumeFlow(flow, call.state, input, call.now));
  });

  it('does not change the state it is given', () => {
    const call = new IvrDriver(flow);
    const frozen = JSON.stringify(call.state);
    resumeFlow(flow, call.state, { type: 'promptCompleted', clientContext: call.last('play').clientContext, ok: true }, call.now);
    expect(JSON.stringify(call.state)).toBe(frozen);
  });

  it('refuses malformed input with a clear error', () => {
    const call = new IvrDriver(flow);
    const bad = { type: 'tone', digit: 'x', sequenceId: 1 } as IvrInput;
    expect(() => resumeFlow(flow, call.state, bad, call.now)).toThrow(new IvrEngineError('invalid IVR input: digit: Invalid string: must match pattern /^[0-9*#A-D]$/'));
    expect(() => resumeFlow(flow, call.state, { type: 'dance' } as unknown as IvrInput, call.now)).toThrow(IvrEngineError);
  });

  it('refuses a state that belongs to another flow or version', () => {
    const call = new IvrDriver(flow);
    const newer: Flow = { ...flow, version: 2 };
    expect(() => resumeFlow(newer, call.state, { type: 'callEnded' }, 0)).toThrow('state belongs to flow main-menu v1, not main-menu v2');
  });

  it('stops without commands when the call ends, disarming an armed timer; later inputs change nothing', () => {
    const call = new IvrDriver(flow);
    call.finishPrompt();
    call.finishPrompt();
    const timer = call.last('armTimer');
    call.send({ type: 'callEnded', reason: 'caller hung up' });
    expect(call.commands).toEqual([
      { kind: 'disarmTimer', timerId: timer.timerId },
      { kind: 'emit', name: 'flow-finished', data: { callId: 'call-1', flowId: 'main-menu', step: 'menu', reason: 'call-ended: caller hung up' } },
    ]);
    const finished = call.state;
    call.send({ type: 'timerFired', timerId: timer.timerId });
    expect(call.commands).toEqual([]);
    expect(call.state).toBe(finished);
  });

  it('a step without next ends the flow with a hang-up', () => {
    const call = new IvrDriver(flow);
    call.finishPrompt();
    call.press('2');
    call.send({ type: 'recordCompleted', clientContext: call.last('record').clientContext, ok: true, location: 'https://x/1' });
    call.finishPrompt();
    expect(call.state.finishedReason).toBe('hangup');
  });

  it('caps a runaway chain of instant steps in a flow built by hand', () => {
    const looping: Flow = { ...flow, start: 'a', steps: { a: { verb: 'goto', target: 'b' }, b: { verb: 'set', values: {}, next: 'a' } } };
    const { state, commands } = startFlow(looping, { callId: 'c', tenantId: 't', now: 0 });
    expect(state).toMatchObject({ status: 'finished', finishedReason: 'step-limit' });
    expect(commands.map((c) => c.kind)).toEqual(['subscribeTones', 'hangup', 'emit']);
  });

  it('fails a transfer whose target renders empty and takes onFailed', () => {
    const emptyAgent: Flow = { ...flow, vars: { agent: '' } };
    const call = new IvrDriver(emptyAgent);
    call.finishPrompt();
    call.press('1');
    expect(call.commands).toContainEqual(expect.objectContaining({ kind: 'emit', name: 'step-failed', data: expect.objectContaining({ error: 'user target has an empty id' }) }));
    expect(call.state.step).toBe('goodbye');
  });
});
