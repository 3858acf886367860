import type { Flow } from '../flow/flow-model';
import { goTo } from './flow-control';
import { applyInput } from './inputs';
import { Run } from './run';
import { IvrEngineError, ivrInputSchema, type EngineResult, type FlowContext, type IvrInput, type IvrState } from './ivr-types';

/** Starts a flow on a call: subscribes to tones and enters the start step. */
export function startFlow(flow: Flow, ctx: FlowContext): EngineResult {
  const state: IvrState = {
    flow: { id: flow.id, version: flow.version },
    status: 'running',
    call: { id: ctx.callId, tenantId: ctx.tenantId, caller: { kind: 'unknown', ...ctx.caller } },
    step: flow.start,
    waiting: null,
    vars: { ...flow.vars },
    digits: null,
    recording: null,
    inline: null,
    counter: 0,
    lastToneSequence: -1,
  };
  const run = new Run(flow, state, ctx.now);
  run.issue({ kind: 'subscribeTones', clientContext: run.nextId() });
  goTo(run, flow.start);
  return { state, commands: run.commands };
}

/**
 * Feeds one input to a stored state. The given state is not changed; the result holds the new one.
 * Invalid input throws IvrEngineError; inputs for a finished flow change nothing.
 */
export function resumeFlow(flow: Flow, state: IvrState, input: IvrInput, now: number): EngineResult {
  if (state.flow.id !== flow.id || state.flow.version !== flow.version) {
    throw new IvrEngineError(`state belongs to flow ${state.flow.id} v${state.flow.version}, not ${flow.id} v${flow.version}`);
  }
  const parsed = ivrInputSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    throw new IvrEngineError(`invalid IVR input: ${problems}`);
  }
  if (state.status === 'finished') return { state, commands: [] };
  const run = new Run(flow, structuredClone(state), now);
  applyInput(run, parsed.data);
  return { state: run.state, commands: run.commands };
}
