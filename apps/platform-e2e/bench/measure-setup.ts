import { callOutcomes, phaseFigures, stepHeld, type PhaseFigures } from './call-outcomes';
import { MAX_CALLS_PER_PHASE, type CallSetupOptions } from './call-setup-options';
import { dialCalls, waitForCallsToEnd } from './dialer';
import { EmulatorLogReader } from './emulator-logs';
import type { SetupTarget } from './setup-targets';

export interface StepFigures extends PhaseFigures {
  held: boolean;
}

export interface TargetFigures {
  label: string;
  /** The fixed-rate phase (`--rate` for `--duration`). */
  fixed: PhaseFigures;
  /** The rising steps, up to and including the first that did not hold. */
  steps: StepFigures[];
  /** The highest step that held; undefined when even the first did not. */
  maxSustained?: StepFigures;
  /** Twice the highest step that held: what past capacity does to the calls that complete, and to the callers' wait. */
  overload?: PhaseFigures;
  /** Lines logged at warn or above by the bot side and the emulator during the run. */
  logLines: string[];
}

/** The emulator gives up on an unanswered call after 15 s (Graph's limit); a call that ends later than this is lost. */
const ANSWER_TIMEOUT_MS = 15_000;

/**
 * Warm-up, the fixed-rate phase, then the steps until one does not hold. Each phase waits for its calls to end and
 * for the bot to settle, then reads the emulator's logs, so one phase's leftovers do not load the next.
 */
export async function measureCallSetup(target: SetupTarget, options: CallSetupOptions, progress: (msg: string) => void): Promise<TargetFigures> {
  const logs = new EmulatorLogReader(target.emulator);
  const phase = async (rate: number, seconds: number): Promise<PhaseFigures> => {
    const dialed = await dialCalls(target.emulator, rate, seconds, options.holdMs);
    await waitForCallsToEnd(target.emulator, dialed.callIds, ANSWER_TIMEOUT_MS + options.holdMs + 10_000);
    await target.settle();
    const { notifications, requests } = await logs.read();
    return phaseFigures(rate, seconds, dialed.offered, dialed.errors, callOutcomes(dialed.callIds, notifications, requests));
  };

  if (options.warmupSeconds > 0) {
    progress(`  warm-up: ${Math.min(options.rate, 5)} calls/s for ${options.warmupSeconds} s (not measured)`);
    await phase(Math.min(options.rate, 5), options.warmupSeconds);
  }
  progress(`  fixed rate: ${options.rate} calls/s for ${options.durationSeconds} s`);
  const fixed = await phase(options.rate, options.durationSeconds);
  progress(`    ${fixed.completed} of ${fixed.offered} completed, p50 ${fixed.latency.p50Ms} ms, p99 ${fixed.latency.p99Ms} ms`);

  const steps: StepFigures[] = [];
  for (const rate of options.steps) {
    progress(`  step: ${rate} calls/s for ${options.stepSeconds} s`);
    const figures = await phase(rate, options.stepSeconds);
    const step = { ...figures, held: stepHeld(figures, options.p99LimitMs) };
    steps.push(step);
    progress(`    ${step.completed} of ${step.offered} completed, p99 ${step.latency.p99Ms} ms: ${step.held ? 'held' : 'did not hold'}`);
    if (!step.held) break;
  }
  const maxSustained = steps.filter((s) => s.held).at(-1);
  let overload: PhaseFigures | undefined;
  if (maxSustained) {
    const rate = 2 * maxSustained.rate;
    // Shorter than a step when the emulator's logs could not hold all of its calls.
    const seconds = Math.min(options.stepSeconds, Math.floor((MAX_CALLS_PER_PHASE / rate) * 10) / 10);
    progress(`  overload: ${rate} calls/s (twice the sustained rate) for ${seconds} s`);
    overload = await phase(rate, seconds);
    progress(`    ${overload.completed} of ${overload.offered} completed, ${overload.refused} refused, ${overload.undecided} neither within 15 s`);
  }
  return { label: target.label, fixed, steps, maxSustained, overload, logLines: target.logLines() };
}
