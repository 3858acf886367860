import { formatMs, formatNumber, formatTable, machineFacts, type MachineFacts } from '@switchboard/dev-infra';
import type { BenchOptions } from './bench-options';
import { describeErrors, errorCount, type TargetFigures } from './measure-target';

export interface PersistenceCheck {
  /** Requests the service answered 202. */
  accepted: number;
  /** Messages in the run's notifications stream. */
  stored: number;
  deadLettered: number;
}

/** Replicas that had just started applying the backlog intake alone left, nothing else running. */
export interface ApplyFigures {
  notifications: number;
  seconds: number;
  perSecond: number;
}

/** Signaling measured three ways: storing only, applying only, and both at once as one deployment does. */
export interface SignalingFigures {
  /** Replicas that store what they take in and apply nothing (`APPLY_CALL_INPUTS=false`). */
  intakeAlone: TargetFigures;
  applyAlone: ApplyFigures;
  /** Replicas that take the load and apply it as they go. */
  together: TargetFigures;
}

export interface WebhookBenchReport {
  benchmark: 'webhook';
  parameters: Omit<BenchOptions, 'json'>;
  /** `loadAverage`: the 1-minute load average at the end; above the core count, other work shared the CPUs. */
  machine: MachineFacts;
  signaling: SignalingFigures;
  /** The baseline measured before and after signaling; ratios are against their mean. */
  baselines: TargetFigures[];
  /**
   * The closed-loop phase of intake + apply seen end to end: notifications taken in, divided by the phase plus the
   * time the consumer needed afterwards to apply what was left.
   */
  intakeAndApplyPerSecond: number;
  /** signaling / baseline: throughput below 1 means slower; latency above 1 means slower. */
  ratios: {
    intake: Ratios;
    together: Ratios & { endToEnd: number };
    applyAlone: number;
  };
  persistence: PersistenceCheck & { match: boolean };
  serviceLogLines: number;
}

export interface Ratios {
  throughput: number;
  p50: number;
  p99: number;
}

export function buildReport(
  options: BenchOptions,
  signaling: SignalingFigures,
  baselines: TargetFigures[],
  persistence: PersistenceCheck,
  serviceLogLines: number,
): WebhookBenchReport {
  const { json: _json, ...parameters } = options;
  const { together } = signaling;
  const intakeAndApplyPerSecond = together.max.ok / (together.max.seconds + together.settleSeconds.afterMax);
  const baseline = (figure: (f: TargetFigures) => number) => baselines.reduce((sum, f) => sum + figure(f), 0) / baselines.length;
  const baselinePerSecond = baseline((f) => f.max.perSecond);
  const ratios = (f: TargetFigures): Ratios => ({
    throughput: f.max.perSecond / baselinePerSecond,
    p50: f.halfLoad.latency.p50Ms / baseline((b) => b.halfLoad.latency.p50Ms),
    p99: f.halfLoad.latency.p99Ms / baseline((b) => b.halfLoad.latency.p99Ms),
  });
  return {
    benchmark: 'webhook',
    parameters,
    machine: machineFacts(),
    signaling,
    baselines,
    intakeAndApplyPerSecond,
    ratios: {
      intake: ratios(signaling.intakeAlone),
      together: { ...ratios(together), endToEnd: intakeAndApplyPerSecond / baselinePerSecond },
      applyAlone: signaling.applyAlone.perSecond / baselinePerSecond,
    },
    persistence: { ...persistence, match: persistence.stored === persistence.accepted },
    serviceLogLines,
  };
}

const num = formatNumber;
const ms = formatMs;

export function formatReport(r: WebhookBenchReport): string {
  const header = ['', 'max req/s', 'half-load req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'errors'];
  const row = (f: TargetFigures) => [
    f.label,
    num(f.max.perSecond),
    `${num(f.halfLoad.perSecond)} of ${num(f.halfLoad.offeredPerSecond)}`,
    ms(f.halfLoad.latency.p50Ms),
    ms(f.halfLoad.latency.p90Ms),
    ms(f.halfLoad.latency.p99Ms),
    ms(f.halfLoad.latency.maxMs),
    String(errorCount(f.max.errors) + errorCount(f.halfLoad.errors)),
  ];
  const { intakeAlone, applyAlone, together } = r.signaling;
  const measured = [intakeAlone, together, ...r.baselines];
  const table = formatTable([header, ...measured.map(row)]);
  const p = r.persistence;
  const errorDetail = measured
    .filter((f) => errorCount(f.max.errors) + errorCount(f.halfLoad.errors) > 0)
    .map((f) => `  ${f.label} errors: full load ${describeErrors(f.max.errors)}; half load ${describeErrors(f.halfLoad.errors)}`);
  // Half of the measured maximum should be easy; if it is not, the machine got busier between phases and the
  // latency figures measure queueing, not the server.
  const fellBehind = measured
    .filter((f) => f.halfLoad.perSecond < 0.95 * f.halfLoad.offeredPerSecond)
    .map((f) => `  warning: ${f.label} did not keep up with half load (${num(f.halfLoad.perSecond)} of ${num(f.halfLoad.offeredPerSecond)} req/s); its latency is queueing — rerun on a quieter machine`);
  const ratioLine = (x: Ratios) => `throughput ${num(x.throughput, 3)}x, p50 ${num(x.p50, 1)}x, p99 ${num(x.p99, 1)}x`;
  return [
    `Webhook benchmark: POST /api/calling, one \`updated\` notification per request, ${
      r.parameters.knownCalls ? `for ${r.parameters.knownCalls} established calls in turn` : 'for a call nobody knows (placed by no one, not notified before)'
    }`,
    '',
    ...table,
    ...errorDetail,
    ...fellBehind,
    '',
    `intake alone: ${num(intakeAlone.max.perSecond)} notifications/s answered 202 (verified, stored in JetStream) by replicas that apply nothing`,
    `apply alone: ${num(applyAlone.perSecond)} notifications/s (the ${applyAlone.notifications} left stored, applied in ${num(applyAlone.seconds, 2)} s by replicas that had just started)`,
    `intake + apply: ${num(together.max.perSecond)} notifications/s answered 202; end to end ${num(r.intakeAndApplyPerSecond)}/s (the ${together.max.ok} taken in at full load, ` +
      `over ${num(together.max.seconds, 1)} s plus ${num(together.settleSeconds.afterMax, 2)} s until the consumer had applied them)`,
    `ratios (signaling / mean of the baselines): intake alone ${ratioLine(r.ratios.intake)}; apply alone ${num(r.ratios.applyAlone, 3)}x; ` +
      `intake + apply ${ratioLine(r.ratios.together)}, end to end ${num(r.ratios.together.endToEnd, 3)}x`,
    `persistence: ${p.stored} notifications in the stream for ${p.accepted} answers 202 (${p.match ? 'match' : 'MISMATCH'}); ` +
      `${p.deadLettered} dead-lettered; consumer backlog applied ${num(together.settleSeconds.afterMax, 2)} s after full load, ` +
      `${num(together.settleSeconds.afterHalfLoad, 2)} s after half load`,
    `signaling log lines at warn or above: ${r.serviceLogLines}`,
    `machine: ${r.machine.cores} cores (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, ${r.machine.platform}, ` +
      `load average ${r.machine.loadAverage} at the end; load generator, services and NATS share it`,
    `parameters: duration ${r.parameters.durationSeconds} s per phase, warm-up ${r.parameters.warmupSeconds} s, concurrency ${r.parameters.concurrency}, ` +
      `connections ${r.parameters.connections}, ${r.parameters.tokens} pre-signed RS256 tokens (each verified once, then taken from the verified-token cache)` +
      (r.parameters.replicas > 1 ? `, ${r.parameters.replicas} signaling replicas behind a round-robin balancer in the load generator's process` : ''),
    'latency: open loop at half of each server\'s own maximum, from hand-off to the connection pool to the full answer',
  ].join('\n');
}
