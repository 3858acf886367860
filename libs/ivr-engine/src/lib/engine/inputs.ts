import { FlowValidationError, formatIssue } from '../flow/flow-issues';
import { parseInlineSteps } from '../flow/parse-flow';
import { continueAfter, failStep, finish, goTo } from './flow-control';
import { gatherKey, gatherPromptEnded, gatherTimedOut } from './gather-inputs';
import { inlineMark, type Run } from './run';
import type { IvrInput, IvrInputOf } from './ivr-types';

/**
 * Applies one input to the running step. Inputs that do not match what the step waits for (a timer
 * that was disarmed, a completion seen before, a tone already counted) change nothing.
 */
export function applyInput(run: Run, input: IvrInput): void {
  switch (input.type) {
    case 'promptCompleted':
      return mediaEnded(run, input.clientContext, input.ok ? undefined : 'prompt failed');
    case 'actionFailed':
      return mediaEnded(run, input.clientContext, input.error);
    case 'tone':
      return tone(run, input);
    case 'timerFired':
      return timerFired(run, input.timerId);
    case 'recordCompleted':
      return recordCompleted(run, input);
    case 'webhookAnswered':
      return webhookAnswered(run, input);
    case 'transferFailed': {
      const { waiting } = run.state;
      const step = run.currentStep();
      if (waiting?.for !== 'transfer' || waiting.clientContext !== input.clientContext || step.verb !== 'transfer') return;
      return failStep(run, `transfer failed: ${input.reason}`, step.onFailed);
    }
    case 'callEnded':
      return finish(run, input.reason ? `call-ended: ${input.reason}` : 'call-ended', false);
  }
}

/** A play, menu prompt, recording or transfer identified by clientContext ended; `error` when it failed. */
function mediaEnded(run: Run, clientContext: string, error: string | undefined): void {
  const { waiting } = run.state;
  const step = run.currentStep();
  if (waiting?.for === 'prompt' && waiting.clientContext === clientContext && step.verb === 'play') {
    if (error) run.emit('step-failed', { error });
    return continueAfter(run, step.next);
  }
  if (waiting?.for === 'digits' && waiting.promptContext === clientContext && step.verb === 'gather') {
    if (error) run.emit('step-failed', { error });
    return gatherPromptEnded(run, step, waiting);
  }
  if (error === undefined) return;
  if (waiting?.for === 'recording' && waiting.clientContext === clientContext && step.verb === 'record') {
    return failStep(run, error, step.onFailed ?? step.next);
  }
  if (waiting?.for === 'transfer' && waiting.clientContext === clientContext && step.verb === 'transfer') {
    return failStep(run, error, step.onFailed);
  }
}

function tone(run: Run, input: IvrInputOf<'tone'>): void {
  if (input.sequenceId <= run.state.lastToneSequence) return;
  run.state.lastToneSequence = input.sequenceId;
  const { waiting } = run.state;
  const step = run.currentStep();
  if (waiting?.for === 'digits' && step.verb === 'gather') gatherKey(run, step, waiting, input.digit);
}

function timerFired(run: Run, timerId: string): void {
  const { waiting } = run.state;
  const step = run.currentStep();
  if (waiting?.for === 'digits' && waiting.timerId === timerId && step.verb === 'gather') return gatherTimedOut(run, step, waiting);
  if (waiting?.for === 'webhook' && waiting.timerId === timerId && step.verb === 'webhook') {
    run.timerFired();
    return webhookFailed(run, step.fallback, `no answer within ${step.timeoutMs} ms`);
  }
}

function recordCompleted(run: Run, input: IvrInputOf<'recordCompleted'>): void {
  const { waiting } = run.state;
  const step = run.currentStep();
  if (waiting?.for !== 'recording' || waiting.clientContext !== input.clientContext || step.verb !== 'record') return;
  if (!input.ok || !input.location) {
    const reason = input.completionReason ? `: ${input.completionReason}` : '';
    return failStep(run, `recording failed${reason}`, step.onFailed ?? step.next);
  }
  const { location, completionReason } = input;
  run.state.recording = { location, ...(completionReason ? { completionReason } : {}) };
  run.emit('recording-available', { ...run.state.recording, clientContext: input.clientContext });
  continueAfter(run, step.next);
}

function webhookAnswered(run: Run, input: IvrInputOf<'webhookAnswered'>): void {
  const { waiting } = run.state;
  const step = run.currentStep();
  if (waiting?.for !== 'webhook' || waiting.requestId !== input.requestId || step.verb !== 'webhook') return;
  if (input.error !== undefined || input.steps === undefined) return webhookFailed(run, step.fallback, input.error ?? 'the answer had no steps');
  try {
    const steps = parseInlineSteps(input.steps, run.flow, `answer to ${run.state.step}`);
    const origin = run.state.step.split(inlineMark)[0];
    // The answer's steps run next; after the last, the webhook step's own `next` (or the outer webhook's).
    const then = step.next ?? (run.state.step.includes(inlineMark) ? run.state.inline?.then : undefined);
    run.wait(null);
    run.state.inline = { origin, steps, ...(then !== undefined ? { then } : {}) };
    goTo(run, `${origin}${inlineMark}0`);
  } catch (error) {
    if (!(error instanceof FlowValidationError)) throw error;
    webhookFailed(run, step.fallback, 'the answer is not a valid list of steps', error.issues.map(formatIssue));
  }
}

function webhookFailed(run: Run, fallback: string, reason: string, issues?: string[]): void {
  run.emit('webhook-failed', { reason, ...(issues ? { issues } : {}) });
  goTo(run, fallback);
}
