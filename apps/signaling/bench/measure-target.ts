import { performance } from 'node:perf_hooks';
import { summarizeLatencies, type LatencySummary } from '@switchboard/dev-infra';
import type { BenchOptions } from './bench-options';
import type { BenchTarget } from './bench-target';
import { LoadGenerator, type BenchRequest } from './load-generator';

export interface TargetFigures {
  label: string;
  max: { perSecond: number; ok: number; errors: Record<string, number>; seconds: number };
  halfLoad: { offeredPerSecond: number; perSecond: number; ok: number; errors: Record<string, number>; latency: LatencySummary };
  /** Seconds the target needed, after each phase, to finish the work the load left behind (consumer backlog). */
  settleSeconds: { afterMax: number; afterHalfLoad: number };
  /** Every request answered 202, warm-up included (what the store must hold). */
  accepted: number;
}

/**
 * Warm-up, then the closed-loop maximum, then an open loop at half that rate for the latency figures. The target
 * settles between phases so one phase's leftovers (a consumer backlog) do not load the next.
 */
export async function measureTarget(target: BenchTarget, options: BenchOptions, nextRequest: () => BenchRequest): Promise<TargetFigures> {
  const load = new LoadGenerator(target.origin, options.connections, '/api/calling', 202, nextRequest);
  try {
    const warmup = options.warmupSeconds > 0 ? await load.closedLoop(options.concurrency, options.warmupSeconds) : undefined;
    await target.settle();
    const max = await load.closedLoop(options.concurrency, options.durationSeconds);
    const afterMax = await timed(() => target.settle());
    if (max.ok === 0) throw new Error(`${target.label} answered no request with 202 at full load: ${describeErrors(max.errors)}`);
    const offered = max.okPerSecond / 2;
    const half = await load.openLoop(offered, options.durationSeconds);
    const afterHalfLoad = await timed(() => target.settle());
    return {
      label: target.label,
      max: { perSecond: max.okPerSecond, ok: max.ok, errors: max.errors, seconds: max.elapsedSeconds },
      halfLoad: { offeredPerSecond: offered, perSecond: half.okPerSecond, ok: half.ok, errors: half.errors, latency: summarizeLatencies(half.latenciesMs) },
      settleSeconds: { afterMax, afterHalfLoad },
      accepted: (warmup?.ok ?? 0) + max.ok + half.ok,
    };
  } finally {
    await load.close();
  }
}

async function timed(work: () => Promise<void>): Promise<number> {
  const began = performance.now();
  await work();
  return (performance.now() - began) / 1000;
}

export const errorCount = (errors: Record<string, number>): number => Object.values(errors).reduce((a, b) => a + b, 0);

export function describeErrors(errors: Record<string, number>): string {
  const kinds = Object.entries(errors);
  return kinds.length === 0 ? 'none' : kinds.map(([kind, n]) => `${n}× ${kind}`).join(', ');
}

