import { BenchUsageError, parseFlags, type FlagRule } from '@switchboard/dev-infra';

/** What a call-setup benchmark run offers; every flag has a default so `npm run bench:call-setup` just works. */
export interface CallSetupOptions {
  /** Calls per second offered in the fixed-rate phase (open loop). */
  rate: number;
  /** Seconds of the fixed-rate phase. */
  durationSeconds: number;
  /** Rising rates tried one after the other for the sustained figure, until one does not hold. */
  steps: number[];
  /** Seconds of each step. */
  stepSeconds: number;
  /** A step holds while its p99 setup latency stays at or below this. */
  p99LimitMs: number;
  /** Seconds of unmeasured calls first (JIT, token fetch, key fetch, connection set-up). */
  warmupSeconds: number;
  /** How long the simulated caller stays on after the call is established, before hanging up. */
  holdMs: number;
  /** Signaling replicas behind the round-robin balancer (the baseline bot is always one process). */
  replicas: number;
  json: boolean;
}

export const defaultCallSetupOptions: CallSetupOptions = {
  rate: 20,
  durationSeconds: 20,
  // Steps of 10 through the range where the bare bot (and with it the emulator) reaches its ceiling on two cores.
  steps: [5, 10, 20, 30, 40, 50, 60, 70, 80, 100, 120, 160],
  stepSeconds: 5,
  p99LimitMs: 1000,
  warmupSeconds: 2,
  holdMs: 1000,
  replicas: 1,
  json: false,
};

export const callSetupUsage =
  'usage: call-setup.bench.ts [--rate <calls/s>] [--duration <s>] [--steps <r1,r2,…>] [--step-duration <s>] [--p99-limit <ms>] ' +
  '[--warmup <s>] [--hold <ms>] [--replicas <n>] [--json]';

const flagRules: Record<string, FlagRule<CallSetupOptions>> = {
  '--rate': { kind: 'number', key: 'rate', min: 0.1, max: 500 },
  '--duration': { kind: 'number', key: 'durationSeconds', min: 1, max: 600 },
  '--steps': { kind: 'numbers', key: 'steps', min: 0.1, max: 500 },
  '--step-duration': { kind: 'number', key: 'stepSeconds', min: 1, max: 600 },
  '--p99-limit': { kind: 'number', key: 'p99LimitMs', min: 1, max: 60_000 },
  '--warmup': { kind: 'number', key: 'warmupSeconds', min: 0, max: 60 },
  '--hold': { kind: 'number', key: 'holdMs', min: 0, max: 60_000, integer: true },
  '--replicas': { kind: 'number', key: 'replicas', min: 1, max: 8, integer: true },
  '--json': { kind: 'switch', key: 'json' },
};

/**
 * The emulator keeps its last 10,000 notifications and requests, and a call makes about ten of them; a phase that
 * makes more would lose the oldest before they are read, so it is refused up front.
 */
export const MAX_CALLS_PER_PHASE = 900;

export function parseCallSetupOptions(argv: readonly string[]): CallSetupOptions {
  const options = parseFlags(argv, flagRules, defaultCallSetupOptions, callSetupUsage);
  if (options.steps.some((rate, i) => i > 0 && rate <= options.steps[i - 1])) {
    throw new BenchUsageError(`--steps must rise from one rate to the next, got "${options.steps.join(',')}"`);
  }
  const phases: [string, number][] = [
    ['--rate × --duration', options.rate * options.durationSeconds],
    ['the last of --steps × --step-duration', options.steps[options.steps.length - 1] * options.stepSeconds],
  ];
  for (const [what, calls] of phases) {
    if (Math.round(calls) > MAX_CALLS_PER_PHASE) {
      throw new BenchUsageError(`${what} makes ${Math.round(calls)} calls in one phase; at most ${MAX_CALLS_PER_PHASE} fit the emulator's logs`);
    }
  }
  return options;
}
