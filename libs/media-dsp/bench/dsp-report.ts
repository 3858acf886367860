import { formatNumber, formatTable, machineFacts, type MachineFacts } from '@switchboard/dev-infra';
import type { DspSpeed } from './dsp-speed';
import type { DtmfQuality, QualityRow } from './dtmf-quality';

export interface DspBenchReport {
  benchmark: 'dsp';
  parameters: { talkOffMinutes: number; audioSeconds: number; rounds: number };
  machine: MachineFacts;
  quality: DtmfQuality;
  speed: DspSpeed;
  /** The receiver specification, checked against the figures: each line a requirement that failed. */
  failures: string[];
}

const rowAt = (rows: readonly QualityRow[], setting: number): QualityRow => rows.find((r) => r.setting === setting)!;
const all = (row: QualityRow, columns: number[] = row.detected.map((_, i) => i)) => columns.every((c) => row.detected[c] === 1);
const none = (row: QualityRow, columns: number[] = row.detected.map((_, i) => i)) => columns.every((c) => row.detected[c] === 0);

/** The specification's requirements, as the suite measures them. */
export function specificationFailures(q: DtmfQuality): string[] {
  const checks: [boolean, string][] = [
    [all(rowAt(q.frequencyError, -1.5)) && all(rowAt(q.frequencyError, 1.5)), 'every key detected at ±1.5% frequency error'],
    [none(rowAt(q.frequencyError, -3.5)) && none(rowAt(q.frequencyError, 3.5)), 'no key detected at ±3.5% frequency error'],
    [all(rowAt(q.twist, 8)) && all(rowAt(q.twist, -4)), 'every key detected at +8 dB and -4 dB twist'],
    [all(rowAt(q.signalToNoise, 15), [0, 1, 2]), 'every key detected at 15 dB signal-to-noise, twist 0, +8 and -4 dB'],
    [all(rowAt(q.duration, 40)) && none(rowAt(q.duration, 25)), 'every 40 ms key detected, no 25 ms key'],
    [all(rowAt(q.gap, 40)), 'keys 40 ms apart read as two'],
    [[-40, -30, -20, -10, -6].every((l) => all(rowAt(q.level, l), [0])), 'every key detected from -40 to -6 dBFS per tone'],
    [q.talkOff.every((t) => t.falseDetections === 0), 'no talk-off on the speech-like signal'],
  ];
  return checks.filter(([ok]) => !ok).map(([, what]) => what);
}

export function buildReport(parameters: DspBenchReport['parameters'], quality: DtmfQuality, speed: DspSpeed): DspBenchReport {
  return { benchmark: 'dsp', parameters, machine: machineFacts(), quality, speed, failures: specificationFailures(quality) };
}

const percent = (share: number) => `${formatNumber(share * 100)}%`;

function qualityTable(title: string, unit: string, columns: string[], rows: readonly QualityRow[]): string[] {
  return [title, ...formatTable([[unit, ...columns, 'wrong key'], ...rows.map((r) => [String(r.setting), ...r.detected.map(percent), String(r.wrong)])]).map((l) => `  ${l}`), ''];
}

export function formatReport(r: DspBenchReport): string {
  const q = r.quality;
  const keys = '16 keys × 5 alignments to the 20 ms frames per cell; cells: share read as the key sent';
  const baseline = (label: string) => r.speed.subjects.find((s) => s.label.startsWith(label))!;
  const detector = baseline('DtmfDetector');
  const speedRows = r.speed.subjects.map((s) => [
    s.label,
    formatNumber(s.microsecondsPerFrame, 2),
    formatNumber(s.framesPerSecond),
    formatNumber(s.realTimeFactor, 5),
    formatNumber(s.framesPerSecond / 50),
  ]);
  return [
    'DTMF quality suite (generated signals, 16 kHz, 20 ms frames)',
    keys,
    '',
    ...qualityTable('Frequency error (detect at ±1.5%, reject at ±3.5%)', 'error %', ['both same way', 'opposite ways', 'row only', 'column only'], q.frequencyError),
    ...qualityTable('Twist: row level minus column level (accept +8 dB normal to -4 dB reverse)', 'twist dB', ['on frequency', 'row +1.5%, col -1.5%'], q.twist),
    ...qualityTable('Signal-to-noise (white noise over 0-8 kHz against both tones)', 'SNR dB', ['twist 0', 'twist +8', 'twist -4', 'twist +8, +1.5%'], q.signalToNoise),
    ...qualityTable('Tone duration (report 40 ms, never 25 ms)', 'tone ms', ['clean', '15 dB SNR'], q.duration),
    ...qualityTable('Gap between two 50 ms presses of the same key (40 ms must separate)', 'gap ms', ['clean', '15 dB SNR'], q.gap),
    ...qualityTable('Level of each tone', 'dBFS', ['twist 0', 'twist +8'], q.level),
    `Reported duration of 40-500 ms keys: within ${formatNumber(q.durationErrorMs, 1)} ms of the true duration`,
    '',
    'Talk-off: speech-like signal (formant synthesis, a new voice every minute), false key detections',
    ...formatTable([
      ['level dBFS', 'minutes', 'false detections', 'per hour', '5 ms windows that held a key'],
      ...q.talkOff.map((t) => [String(t.levelDbfs), String(t.minutes), String(t.falseDetections), formatNumber(t.perHour, 1), String(t.keyWindows)]),
    ]).map((l) => `  ${l}`),
    '',
    r.failures.length === 0 ? 'Receiver specification: every requirement met' : `Receiver specification NOT met: ${r.failures.join('; ')}`,
    '',
    `Speed: ${r.speed.audioSeconds} s of speech-like audio with keys, 20 ms frames, median of ${r.speed.rounds} rounds, one core`,
    ...formatTable([['', 'µs/frame', 'frames/s', 'real-time factor', 'streams/core'], ...speedRows]).map((l) => `  ${l}`),
    `  DtmfDetector / bare loop: ${formatNumber(detector.microsecondsPerFrame / baseline('bare loop').microsecondsPerFrame, 1)}x the time; ` +
      `full-DFT detector / DtmfDetector: ${formatNumber(baseline('full-DFT').microsecondsPerFrame / detector.microsecondsPerFrame, 1)}x`,
    '',
    `machine: ${r.machine.cores} cores (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, ${r.machine.platform}, ` +
      `load average ${r.machine.loadAverage} at the end (above the core count, other work shared the CPUs)`,
  ].join('\n');
}
