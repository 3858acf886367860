import { dtmfFrequencies, isDtmfDigit, type DtmfDigit } from './dtmf-keys';
import { INT16_MAX, SAMPLE_RATE, msToSamples, saturate16, sineAmplitude } from './pcm';
import { SeededRandom } from './random';

/** A phase-continuous sine: successive `add` calls continue the wave, so a tone can be produced frame by frame. */
export class SineOscillator {
  private phase = 0;
  private readonly step: number;

  constructor(frequencyHz: number, private readonly amplitude: number, sampleRate = SAMPLE_RATE) {
    this.step = (2 * Math.PI * frequencyHz) / sampleRate;
  }

  /** Adds the next `end - start` samples of the wave into `out` (floating point, no clamping). */
  add(out: Float64Array, start = 0, end = out.length): void {
    for (let i = start; i < end; i++) {
      out[i] += this.amplitude * Math.sin(this.phase);
      this.phase += this.step;
    }
    this.phase %= 2 * Math.PI;
  }
}

export interface DualToneOptions {
  durationMs: number;
  /** Level of the low-group (row) tone in dBFS. Default -10. */
  levelDbfs?: number;
  /** Row level minus column level in dB: positive is normal twist (column weaker), negative reverse twist. Default 0. */
  twistDb?: number;
  /** Relative frequency errors, e.g. 0.015 for +1.5%. Default 0. */
  rowError?: number;
  columnError?: number;
  sampleRate?: number;
}

/** One DTMF key as 16-bit samples (the start phase of each tone is 0). */
export function dtmfTone(digit: DtmfDigit, options: DualToneOptions): Int16Array {
  const { rowHz, columnHz } = dtmfFrequencies(digit);
  return dualTone(rowHz * (1 + (options.rowError ?? 0)), columnHz * (1 + (options.columnError ?? 0)), options);
}

/** Two sines: `lowHz` at `levelDbfs`, `highHz` `twistDb` below it. */
export function dualTone(lowHz: number, highHz: number, options: DualToneOptions): Int16Array {
  const sampleRate = options.sampleRate ?? SAMPLE_RATE;
  const level = options.levelDbfs ?? -10;
  const sum = new Float64Array(msToSamples(options.durationMs, sampleRate));
  new SineOscillator(lowHz, sineAmplitude(level), sampleRate).add(sum);
  new SineOscillator(highHz, sineAmplitude(level - (options.twistDb ?? 0)), sampleRate).add(sum);
  return toInt16(sum);
}

export interface DtmfSequenceOptions {
  toneMs?: number;
  gapMs?: number;
  levelDbfs?: number;
  twistDb?: number;
  /** Silence before the first key. Default: one gap. */
  leadMs?: number;
  sampleRate?: number;
}

/** Keys as they are dialled: each key `toneMs` long, `gapMs` of silence after each (defaults 100 ms and 100 ms). */
export function dtmfSequence(digits: string, options: DtmfSequenceOptions = {}): Int16Array {
  const sampleRate = options.sampleRate ?? SAMPLE_RATE;
  const toneMs = options.toneMs ?? 100;
  const gapMs = options.gapMs ?? 100;
  const lead = msToSamples(options.leadMs ?? gapMs, sampleRate);
  const gap = msToSamples(gapMs, sampleRate);
  const bad = [...digits].find((d) => !isDtmfDigit(d));
  if (bad !== undefined) throw new RangeError(`"${bad}" is not a DTMF key (0-9, *, #, A-D)`);
  const tones = [...digits].map((d) => dtmfTone(d as DtmfDigit, { durationMs: toneMs, levelDbfs: options.levelDbfs, twistDb: options.twistDb, sampleRate }));
  const out = new Int16Array(lead + tones.reduce((n, t) => n + t.length + gap, 0));
  let at = lead;
  for (const tone of tones) {
    out.set(tone, at);
    at += tone.length + gap;
  }
  return out;
}

/** Gaussian white noise whose RMS is `levelDbfs` (relative to a full-scale sine), added into `out`. */
export function addWhiteNoise(out: Float64Array, levelDbfs: number, random: SeededRandom, start = 0, end = out.length): void {
  const rms = (INT16_MAX / Math.SQRT2) * 10 ** (levelDbfs / 20);
  for (let i = start; i < end; i++) out[i] += rms * random.gaussian();
}

/**
 * `signal` with white noise at `snrDb` below the signal's own power, measured over `signal` as a whole (pass just
 * the tone to get the ratio per tone, then place the result).
 */
export function withNoise(signal: Int16Array, snrDb: number, random: SeededRandom): Int16Array {
  let power = 0;
  for (const s of signal) power += s * s;
  const signalDbfs = 10 * Math.log10(power / signal.length / ((INT16_MAX * INT16_MAX) / 2));
  const sum = Float64Array.from(signal);
  addWhiteNoise(sum, signalDbfs - snrDb, random);
  return toInt16(sum);
}

/** Rounds and clamps floating-point samples into a new Int16Array. */
export function toInt16(samples: Float64Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = saturate16(samples[i]);
  return out;
}
