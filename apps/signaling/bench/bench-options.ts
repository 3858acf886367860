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
  json: boolean;
}

export const defaultBenchOptions: BenchOptions = { durationSeconds: 10, warmupSeconds: 2, concurrency: 64, connections: 64, tokens: 8, json: false };

export const benchUsage =
  'usage: webhook.bench.ts [--duration <s>] [--warmup <s>] [--concurrency <n>] [--connections <n>] [--tokens <n>] [--json]';

export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

type NumericFlag = 'durationSeconds' | 'warmupSeconds' | 'concurrency' | 'connections' | 'tokens';

const numericFlags: Record<string, { key: NumericFlag; min: number; max: number; integer: boolean }> = {
  '--duration': { key: 'durationSeconds', min: 1, max: 3600, integer: false },
  '--warmup': { key: 'warmupSeconds', min: 0, max: 600, integer: false },
  '--concurrency': { key: 'concurrency', min: 1, max: 10_000, integer: true },
  '--connections': { key: 'connections', min: 1, max: 10_000, integer: true },
  '--tokens': { key: 'tokens', min: 1, max: 1000, integer: true },
};

/** Reads `--flag value` and `--flag=value`; refuses unknown flags and out-of-range values, naming the flag. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { ...defaultBenchOptions };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === '--json') {
      if (inline !== undefined) throw new BenchUsageError(`--json takes no value\n${benchUsage}`);
      options.json = true;
      continue;
    }
    const spec = numericFlags[flag];
    if (!spec) throw new BenchUsageError(`unknown argument "${argv[i]}"\n${benchUsage}`);
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new BenchUsageError(`${flag} needs a value\n${benchUsage}`);
    const value = Number(raw);
    const kind = spec.integer ? 'an integer' : 'a number';
    if (raw.trim() === '' || !Number.isFinite(value) || (spec.integer && !Number.isInteger(value)) || value < spec.min || value > spec.max) {
      throw new BenchUsageError(`${flag} must be ${kind} from ${spec.min} to ${spec.max}, got "${raw}"`);
    }
    options[spec.key] = value;
  }
  return options;
}
