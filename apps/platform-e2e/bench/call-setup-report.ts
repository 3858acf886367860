import { formatNumber, formatTable, loadAverage, machineFacts, type MachineFacts } from '@switchboard/dev-infra';
import type { PhaseFigures } from './call-outcomes';
import type { CallSetupOptions } from './call-setup-options';
import type { TargetFigures } from './measure-setup';

export interface CallSetupReport {
  benchmark: 'call-setup';
  parameters: Omit<CallSetupOptions, 'json'>;
  /** Load averages (1 minute) before the first process started and after the last phase. */
  machine: Omit<MachineFacts, 'loadAverage'> & { loadAverageBefore: number; loadAverageAfter: number };
  subject: TargetFigures;
  baseline: TargetFigures;
  /** subject / baseline: latency above 1 means slower; a sustained-rate ratio below 1 means fewer calls per second. */
  ratios: { p50: number; p90: number; p99: number; maxSustainedRate: number };
}

export function buildReport(options: CallSetupOptions, loadAverageBefore: number, subject: TargetFigures, baseline: TargetFigures): CallSetupReport {
  const { json: _json, ...parameters } = options;
  const { loadAverage: _now, ...machine } = machineFacts();
  const latency = (key: 'p50Ms' | 'p90Ms' | 'p99Ms') => subject.fixed.latency[key] / baseline.fixed.latency[key];
  return {
    benchmark: 'call-setup',
    parameters,
    machine: { ...machine, loadAverageBefore, loadAverageAfter: loadAverage() },
    subject,
    baseline,
    ratios: {
      p50: latency('p50Ms'),
      p90: latency('p90Ms'),
      p99: latency('p99Ms'),
      maxSustainedRate: (subject.maxSustained?.rate ?? 0) / (baseline.maxSustained?.rate ?? Number.NaN),
    },
  };
}

const count = (errors: Record<string, number>) => Object.values(errors).reduce((a, b) => a + b, 0);
const describe = (errors: Record<string, number>) => Object.entries(errors).map(([kind, n]) => `${n}× ${kind}`).join(', ');
/** The emulator's timestamps have whole milliseconds, so the figures carry no decimals. */
const formatMs = (n: number) => formatNumber(n, 0);
const latencyCells = (f: PhaseFigures) => [formatMs(f.latency.p50Ms), formatMs(f.latency.p90Ms), formatMs(f.latency.p99Ms), formatMs(f.latency.maxMs)];

function failureLines(label: string, phase: string, f: PhaseFigures): string[] {
  const lines: string[] = [];
  if (count(f.dialErrors) > 0) lines.push(`  ${label}, ${phase}: the emulator refused to create ${describe(f.dialErrors)}`);
  if (count(f.failures) > 0) lines.push(`  ${label}, ${phase}: not completed: ${describe(f.failures)}`);
  return lines;
}

const sustained = (t: TargetFigures) =>
  t.maxSustained
    ? `${formatNumber(t.maxSustained.rate, t.maxSustained.rate % 1 ? 1 : 0)} calls/s (p50 ${formatMs(t.maxSustained.latency.p50Ms)} ms, p99 ${formatMs(t.maxSustained.latency.p99Ms)} ms)` +
      (t.steps.every((s) => s.held) ? ', the highest step tried' : '')
    : 'none (the first step did not hold)';

export function formatReport(r: CallSetupReport): string {
  const p = r.parameters;
  const targets = [r.subject, r.baseline];
  const fixedTable = formatTable([
    ['', 'calls/s', 'offered', 'answered', 'completed', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
    ...targets.map((t) => [t.label, formatNumber(t.fixed.createdPerSecond, 1), String(t.fixed.offered), String(t.fixed.answered), String(t.fixed.completed), ...latencyCells(t.fixed)]),
  ]);
  const stepTable = formatTable([
    ['', 'calls/s', 'completed', 'p50 ms', 'p99 ms', 'held'],
    ...targets.flatMap((t) =>
      t.steps.map((s, i) => [i === 0 ? t.label : '', formatNumber(s.rate, s.rate % 1 ? 1 : 0), `${s.completed}/${s.offered}`, formatMs(s.latency.p50Ms), formatMs(s.latency.p99Ms), s.held ? 'yes' : 'no']),
    ),
  ]);
  const problems = targets.flatMap((t) => [
    ...failureLines(t.label, 'fixed rate', t.fixed),
    ...t.steps.flatMap((s) => failureLines(t.label, `step ${s.rate}/s`, s)),
    ...(t.overload ? failureLines(t.label, `overload ${t.overload.rate}/s`, t.overload) : []),
  ]);
  const overloaded = targets.filter((t) => t.overload && t.maxSustained);
  const overloadTable = formatTable([
    ['', 'calls/s', 'completed/s', 'at capacity', 'refused', 'undecided in 15 s', 'max wait ms'],
    ...overloaded.map((t) => {
      const o = t.overload as PhaseFigures;
      return [
        t.label,
        formatNumber(o.rate, 0),
        formatNumber(o.completedPerSecond, 1),
        formatNumber((t.maxSustained as PhaseFigures).completedPerSecond, 1),
        `${o.refused}/${o.offered}`,
        String(o.undecided),
        formatMs(o.maxDecisionMs),
      ];
    }),
  ]);
  const m = r.machine;
  return [
    'Call-setup benchmark: incoming-call notification sent by the emulator → answer request received by the emulator (both on its clock)',
    '',
    `Fixed rate: ${p.rate} calls/s offered for ${p.durationSeconds} s (open loop); each call is answered, hears the welcome prompt, and the caller hangs up ${p.holdMs} ms after it is established`,
    ...fixedTable,
    '',
    `Sustained rate: steps of ${p.stepSeconds} s at ${p.steps.join(', ')} calls/s until one does not hold (a step holds when every call completes and p99 ≤ ${p.p99LimitMs} ms)`,
    ...stepTable,
    ...(overloaded.length
      ? [
          '',
          'Overload: twice each bot\'s sustained rate; completed/s next to the same figure at capacity; undecided: neither answered nor refused within 15 s; ' +
            'max wait: incoming notification → answer or refusal',
          ...overloadTable,
        ]
      : []),
    ...(problems.length ? ['', ...problems] : []),
    '',
    `max sustained: ${r.subject.label} ${sustained(r.subject)}; ${r.baseline.label} ${sustained(r.baseline)}`,
    `ratios (signaling / baseline) at ${p.rate} calls/s: p50 ${formatNumber(r.ratios.p50, 1)}x, p90 ${formatNumber(r.ratios.p90, 1)}x, p99 ${formatNumber(r.ratios.p99, 1)}x; ` +
      `max sustained rate ${formatNumber(r.ratios.maxSustainedRate, 2)}x`,
    `log lines at warn or above: ${targets.map((t) => `${t.label} ${t.logLines.length}`).join(', ')}`,
    `machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; load average ${m.loadAverageBefore} before, ${m.loadAverageAfter} after`,
    `  the ${m.cores} cores run the emulator, NATS, signaling (or the baseline bot) and the load generator together`,
    `parameters: warm-up ${p.warmupSeconds} s per bot (not measured); signaling logs at warn; the baseline bot verifies no JWT and stores nothing, ` +
      'and its run keeps an idle signaling replica up (no notification reaches it)',
    'latency resolution: 1 ms (the emulator logs ISO timestamps); the answer is timed when the emulator has handled it',
  ].join('\n');
}
