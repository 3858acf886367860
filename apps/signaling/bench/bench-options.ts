import { parseFlags, type FlagRule } from '@switchboard/dev-infra';

/** What a benchmark run measures and for how long; every flag has a default so `npm run bench:webhook` just works. */
export interface BenchOptions {
  /** Seconds of each measured phase (max throughput, then half load). */
  durationSeconds: number;
  /** Seconds of unmeasured load before the max-throughput phase (JIT, key fetch, connection set-up). */
  warmupSeconds: number;
  /** Requests in flight in the closed-loop phase. */
  concurrency: number;
  /** Keep-alive connections in each target's pool (pipelining 1, so in flight = min(concurrency, connections)). */
  connections: number;
  /** Distinct pre-signed tokens the sender rotates through. */
  tokens: number;
  /** Established calls the notifications are about, in turn; 0: a call nobody knows each time. */
  knownCalls: number;
  /** Signaling replicas behind a round-robin balancer (in the load generator's process); 1: none. */
  replicas: number;
  json: boolean;
}

export const defaultBenchOptions: BenchOptions = { durationSeconds: 10, warmupSeconds: 2, concurrency: 64, connections: 64, tokens: 8, knownCalls: 0, replicas: 1, json: false };

export const benchUsage =
  'usage: webhook.bench.ts [--duration <s>] [--warmup <s>] [--concurrency <n>] [--connections <n>] [--tokens <n>] [--known-calls <n>] [--replicas <n>] [--json]';

const flagRules: Record<string, FlagRule<BenchOptions>> = {
  '--duration': { kind: 'number', key: 'durationSeconds', min: 1, max: 3600 },
  '--warmup': { kind: 'number', key: 'warmupSeconds', min: 0, max: 600 },
  '--concurrency': { kind: 'number', key: 'concurrency', min: 1, max: 10_000, integer: true },
  '--connections': { kind: 'number', key: 'connections', min: 1, max: 10_000, integer: true },
  '--tokens': { kind: 'number', key: 'tokens', min: 1, max: 1000, integer: true },
  '--known-calls': { kind: 'number', key: 'knownCalls', min: 0, max: 100_000, integer: true },
  '--replicas': { kind: 'number', key: 'replicas', min: 1, max: 8, integer: true },
  '--json': { kind: 'switch', key: 'json' },
};

/** Reads `--flag value` and `--flag=value`; refuses unknown flags and out-of-range values, naming the flag. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  return parseFlags(argv, flagRules, defaultBenchOptions, benchUsage);
}
