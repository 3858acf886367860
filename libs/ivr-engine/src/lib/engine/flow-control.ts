import type { StepOf } from '../flow/flow-model';
import { inlineMark, type Run } from './run';
import { renderTarget, renderTargets } from './targets';

/** More steps than this in one engine call can only be a loop of instant steps (parseFlow refuses those). */
const maxStepsPerInput = 200;

/** Leaves the current step for `name`; without a name the flow has run off its end and hangs up. */
export function goTo(run: Run, name: string | undefined): void {
  if (name === undefined) return finish(run, 'end-of-flow', true);
  if (!name.includes(inlineMark)) run.state.inline = null;
  run.wait(null);
  if (++run.entered > maxStepsPerInput) return finish(run, 'step-limit', true);
  run.state.step = name;
  if (!run.stepAt(name)) return finish(run, 'missing-step', true);
  enterStep(run);
}

/** Continues after the current step: its `next`, else the following inline step, else where the webhook said. */
export function continueAfter(run: Run, next: string | undefined): void {
  if (next !== undefined) return goTo(run, next);
  const { inline, step } = run.state;
  const mark = step.indexOf(inlineMark);
  if (!inline || mark < 0) return goTo(run, undefined);
  const index = Number(step.slice(mark + 1)) + 1;
  goTo(run, index < inline.steps.length ? `${inline.origin}${inlineMark}${index}` : inline.then);
}

/** Ends the flow; `flow-finished` tells the platform why. */
export function finish(run: Run, reason: string, hangup: boolean): void {
  run.wait(null);
  if (hangup) run.issue({ kind: 'hangup' });
  run.state.status = 'finished';
  run.state.finishedReason = reason;
  run.emit('flow-finished', { reason });
}

/** A step that could not do its work: say so, then take its failure route. */
export function failStep(run: Run, error: string, route: string | undefined): void {
  run.emit('step-failed', { error });
  goTo(run, route);
}

function enterStep(run: Run): void {
  const step = run.currentStep();
  switch (step.verb) {
    case 'play': {
      const clientContext = run.nextId();
      run.issue({ kind: 'play', prompts: run.prompts(step.prompts), clientContext });
      return run.wait({ for: 'prompt', clientContext });
    }
    case 'gather':
      return startGatherAttempt(run, step, 0, []);
    case 'record':
      return startRecord(run, step);
    case 'transfer':
      return startTransfer(run, step);
    case 'redirect': {
      const targets = renderTargets(step.targets, (t) => run.render(t));
      if (typeof targets === 'string') return failStep(run, targets, undefined);
      run.issue({ kind: 'redirect', targets, ...(step.timeoutSeconds ? { timeoutSeconds: step.timeoutSeconds } : {}) });
      return finish(run, 'redirected', false);
    }
    case 'invite': {
      const participants = renderTargets(step.participants, (t) => run.render(t));
      if (typeof participants === 'string') return failStep(run, participants, step.next);
      run.issue({ kind: 'invite', participants, clientContext: run.nextId() });
      return continueAfter(run, step.next);
    }
    case 'hangup':
      return finish(run, 'hangup', true);
    case 'set':
      for (const [name, template] of Object.entries(step.values)) run.state.vars[name] = run.render(template);
      return continueAfter(run, step.next);
    case 'goto':
      return goTo(run, step.target);
    case 'webhook':
      return startWebhook(run, step);
  }
}

/**
 * Plays the menu (after `lead`, the no-input or invalid-input apology) with barge-in, or arms the
 * first-digit timer at once when there is nothing to play.
 */
export function startGatherAttempt(run: Run, step: StepOf<'gather'>, attempt: number, lead: readonly string[]): void {
  const names = [...lead, ...step.gather.prompt];
  if (names.length === 0) {
    const timerId = run.armTimer(step.gather.firstDigitTimeoutMs);
    return run.wait({ for: 'digits', attempt, promptContext: null, timerId, digits: '' });
  }
  const promptContext = run.nextId();
  run.issue({ kind: 'play', prompts: run.prompts(names), clientContext: promptContext, bargeIn: true });
  run.wait({ for: 'digits', attempt, promptContext, timerId: null, digits: '' });
}

function startRecord(run: Run, step: StepOf<'record'>): void {
  const { prompt, stopKeys, ...limits } = step.record;
  const clientContext = run.nextId();
  run.issue({ kind: 'record', ...(prompt ? { prompt: run.prompts([prompt])[0] } : {}), ...limits, stopTones: stopKeys, clientContext });
  run.wait({ for: 'recording', clientContext });
}

function startTransfer(run: Run, step: StepOf<'transfer'>): void {
  const target = renderTarget(step.target, (t) => run.render(t));
  if (typeof target === 'string') return failStep(run, target, step.onFailed);
  const replacesCallId = step.replacesCallId === undefined ? '' : run.render(step.replacesCallId).trim();
  const clientContext = run.nextId();
  run.issue({ kind: 'transfer', target, ...(replacesCallId ? { replacesCallId } : {}), clientContext });
  run.wait({ for: 'transfer', clientContext });
}

function startWebhook(run: Run, step: StepOf<'webhook'>): void {
  const s = run.state;
  const requestId = run.nextId();
  const payload = { callId: s.call.id, flowId: run.flow.id, step: s.step, vars: { ...s.vars }, digits: s.digits, caller: { ...s.call.caller } };
  run.issue({ kind: 'webhook', requestId, url: run.render(step.url), payload, timeoutMs: step.timeoutMs });
  // A durable backstop: if the answer is lost (a replica died mid-request), the timer still moves the call on.
  const timerId = run.armTimer(step.timeoutMs);
  run.wait({ for: 'webhook', requestId, timerId });
}
