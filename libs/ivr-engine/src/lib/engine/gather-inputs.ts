import type { StepOf } from '../flow/flow-model';
import { continueAfter, goTo, startGatherAttempt } from './flow-control';
import type { Run } from './run';
import type { Waiting } from './ivr-types';

type DigitsWait = Extract<Waiting, { for: 'digits' }>;

/** The menu prompt ended (played out or failed): the caller now has firstDigitTimeoutMs to start. */
export function gatherPromptEnded(run: Run, step: StepOf<'gather'>, waiting: DigitsWait): void {
  const timerId = run.armTimer(step.gather.firstDigitTimeoutMs);
  run.wait({ ...waiting, promptContext: null, timerId });
}

/** A key press: barges in on the prompt, ends input on finishOnKey or maxDigits, else restarts the inter-digit timer. */
export function gatherKey(run: Run, step: StepOf<'gather'>, waiting: DigitsWait, digit: string): void {
  if (waiting.promptContext) run.issue({ kind: 'cancelMedia', clientContext: run.nextId() });
  const { finishOnKey, maxDigits, interDigitTimeoutMs } = step.gather;
  if (digit === finishOnKey) return gatherDone(run, step, waiting.attempt, waiting.digits);
  const digits = waiting.digits + digit;
  if (digits.length >= maxDigits) return gatherDone(run, step, waiting.attempt, digits);
  run.wait({ ...waiting, promptContext: null, timerId: null, digits });
  const timerId = run.armTimer(interDigitTimeoutMs);
  run.wait({ ...waiting, promptContext: null, timerId, digits });
}

/** The first-digit or inter-digit timer ran out: whatever was typed is the answer. */
export function gatherTimedOut(run: Run, step: StepOf<'gather'>, waiting: DigitsWait): void {
  run.timerFired();
  gatherDone(run, step, waiting.attempt, waiting.digits);
}

function gatherDone(run: Run, step: StepOf<'gather'>, attempt: number, digits: string): void {
  run.wait(null);
  if (digits === '') return retry(run, step, attempt, step.gather.onNoInput);
  const route = step.branches[digits] ?? step.default ?? step.next;
  const routed = route !== undefined || Object.keys(step.branches).length === 0;
  if (!routed || !isValid(step, digits)) return retry(run, step, attempt, step.gather.onInvalid);

  run.state.digits = digits;
  if (step.gather.storeAs) run.state.vars[step.gather.storeAs] = digits;
  run.emit('digits-collected', { digits, attempt });
  continueAfter(run, route);
}

function retry(run: Run, step: StepOf<'gather'>, attempt: number, apology: readonly string[]): void {
  if (attempt >= step.gather.retries) return goTo(run, step.onExhausted);
  startGatherAttempt(run, step, attempt + 1, apology);
}

function isValid(step: StepOf<'gather'>, digits: string): boolean {
  const { valid, pattern } = step.gather;
  if (valid) return valid.includes(digits);
  if (pattern !== undefined) return new RegExp(`^(?:${pattern})$`).test(digits);
  return true;
}
