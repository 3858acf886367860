import { BenchUsageError } from './bench-flags';

/** Undo steps, run last-first on the way out (also on Ctrl-C), so no process, stream or bucket outlives the run. */
export class Teardown {
  private readonly steps: Array<() => Promise<unknown>> = [];

  add(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      await step().catch((error: Error) => process.stderr.write(`cleanup: ${error.message}\n`));
    }
  }
}

export interface BenchScript<O extends { json: boolean }, R> {
  /** Names the benchmark in a failure message, e.g. `webhook benchmark`. */
  name: string;
  parse(argv: readonly string[]): O;
  run(options: O, teardown: Teardown): Promise<R>;
  /** The report as text (`--json` prints the report object instead). */
  format(report: R): string;
  /** Why the figures cannot be trusted, if they cannot: printed, and the exit code is 1. */
  problem?(report: R): string | undefined;
}

/**
 * The life of a benchmark script: flags (exit 2 on a usage error), the run, the report on stdout, and the teardown
 * on every way out — success, failure and SIGINT/SIGTERM (exit 130).
 */
export async function runBenchScript<O extends { json: boolean }, R>(script: BenchScript<O, R>, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  let options: O;
  try {
    options = script.parse(argv);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  const teardown = new Teardown();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void teardown.run().finally(() => process.exit(130)));
  }
  try {
    const report = await script.run(options, teardown);
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${script.format(report)}\n`);
    const problem = script.problem?.(report);
    if (problem) {
      process.stderr.write(`${problem}\n`);
      process.exitCode = 1;
    }
  } catch (error) {
    process.stderr.write(`${script.name} failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await teardown.run();
  }
}
