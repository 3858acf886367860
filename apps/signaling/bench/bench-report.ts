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

export interface WebhookBenchReport {
  benchmark: 'webhook';
  parameters: Omit<BenchOptions, 'json'>;
  /** `loadAverage`: the 1-minute load average at the end; above the core count, other work shared the CPUs. */
  machine: MachineFacts;
  subject: TargetFigures;
  /** The baseline measured before and after the subject; ratios are against their mean. */
  baselines: TargetFigures[];
  /**
   * The closed-loop phase seen end to end: notifications taken in, divided by the phase plus the time the consumer
   * needed afterwards to apply what was left (intake alone is `subject.max.perSecond`).
   */
  intakeAndApplyPerSecond: number;
  /** subject / baseline: throughput below 1 means slower; latency above 1 means slower. */
  ratios: { throughput: number; intakeAndApply: number; p50: number; p99: number };
  persistence: PersistenceCheck & { match: boolean };
  serviceLogLines: number;
}

export function buildReport(options: BenchOptions, subject: TargetFigures, baselines: TargetFigures[], persistence: PersistenceCheck, serviceLogLines: number): WebhookBenchReport {
  const { json: _json, ...parameters } = options;
  const intakeAndApplyPerSecond = subject.max.ok / (subject.max.seconds + subject.settleSeconds.afterMax);
  const baseline = (figure: (f: TargetFigures) => number) => baselines.reduce((sum, f) => sum + figure(f), 0) / baselines.length;
  const baselinePerSecond = baseline((f) => f.max.perSecond);
  return {
    benchmark: 'webhook',
    parameters,
    machine: machineFacts(),
    subject,
    baselines,
    intakeAndApplyPerSecond,
    ratios: {
      throughput: subject.max.perSecond / baselinePerSecond,
      intakeAndApply: intakeAndApplyPerSecond / baselinePerSecond,
      p50: subject.halfLoad.latency.p50Ms / baseline((f) => f.halfLoad.latency.p50Ms),
      p99: subject.halfLoad.latency.p99Ms / baseline((f) => f.halfLoad.latency.p99Ms),
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
  const table = formatTable([header, row(r.subject), ...r.baselines.map(row)]);
  const p = r.persistence;
  const errorDetail = [r.subject, ...r.baselines]
    .filter((f) => errorCount(f.max.errors) + errorCount(f.halfLoad.errors) > 0)
    .map((f) => `  ${f.label} errors: full load ${describeErrors(f.max.errors)}; half load ${describeErrors(f.halfLoad.errors)}`);
  // Half of the measured maximum should be easy; if it is not, the machine got busier between phases and the
  // latency figures measure queueing, not the server.
  const fellBehind = [r.subject, ...r.baselines]
    .filter((f) => f.halfLoad.perSecond < 0.95 * f.halfLoad.offeredPerSecond)
    .map((f) => `  warning: ${f.label} did not keep up with half load (${num(f.halfLoad.perSecond)} of ${num(f.halfLoad.offeredPerSecond)} req/s); its latency is queueing — rerun on a quieter machine`);
  return [
    `Webhook benchmark: POST /api/calling, one \`updated\` notification per request, ${
      r.parameters.knownCalls ? `for ${r.parameters.knownCalls} established calls in turn` : 'for a call nobody knows (placed by no one, not notified before)'
    }`,
    '',
    ...table,
    ...errorDetail,
    ...fellBehind,
    '',
    `intake only: ${num(r.subject.max.perSecond)} notifications/s answered 202 (stored in JetStream); ` +
      `intake + apply: ${num(r.intakeAndApplyPerSecond)} notifications/s (the ${r.subject.max.ok} taken in at full load, over ${num(r.subject.max.seconds, 1)} s ` +
      `plus ${num(r.subject.settleSeconds.afterMax, 2)} s until the consumer had applied them)`,
    `ratios (signaling / mean of the baselines): throughput ${num(r.ratios.throughput, 3)}x (intake + apply ${num(r.ratios.intakeAndApply, 3)}x), p50 ${num(r.ratios.p50, 1)}x, p99 ${num(r.ratios.p99, 1)}x`,
    `persistence: ${p.stored} notifications in the stream for ${p.accepted} answers 202 (${p.match ? 'match' : 'MISMATCH'}); ` +
      `${p.deadLettered} dead-lettered; consumer backlog applied ${num(r.subject.settleSeconds.afterMax, 2)} s after full load, ` +
      `${num(r.subject.settleSeconds.afterHalfLoad, 2)} s after half load`,
    `signaling log lines at warn or above: ${r.serviceLogLines}`,
    `machine: ${r.machine.cores} cores (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, ${r.machine.platform}, ` +
      `load average ${r.machine.loadAverage} at the end; load generator, services and NATS share it`,
    `parameters: duration ${r.parameters.durationSeconds} s per phase, warm-up ${r.parameters.warmupSeconds} s, concurrency ${r.parameters.concurrency}, ` +
      `connections ${r.parameters.connections}, ${r.parameters.tokens} pre-signed RS256 tokens (each verified once, then taken from the verified-token cache)` +
      (r.parameters.replicas > 1 ? `, ${r.parameters.replicas} signaling replicas behind a round-robin balancer in the load generator's process` : ''),
    'latency: open loop at half of each server\'s own maximum, from hand-off to the connection pool to the full answer',
  ].join('\n');
}
