import { SAMPLE_RATE, saturate16 } from './pcm';

export interface ResamplerOptions {
  /** Input rate in Hz: 8000, 16000, 24000, 44100 or 48000 (any rate whose ratio to the output reduces to small numbers works). */
  inputRate: number;
  /** Interleaved channels in the input: 1, or 2 (mixed down to mono). Default 1. */
  channels?: number;
  /** Output rate in Hz. Default 16000. */
  outputRate?: number;
}

/** Stopband attenuation of the anti-aliasing filter. */
const ATTENUATION_DB = 80;
/** Transition band, as a share of the lower Nyquist frequency (passband up to 88% of it, e.g. 7 kHz at 16 kHz). */
const TRANSITION = 0.12;
/** Largest up-sampling factor accepted (44.1 kHz → 16 kHz needs 160). */
const MAX_PHASES = 1000;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Zeroth-order modified Bessel function of the first kind (for the Kaiser window). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

/**
 * Streaming sample-rate conversion to 16 kHz mono (by default) with a polyphase windowed-sinc (Kaiser) low-pass:
 * rational factor up/down, passband to 88% of the lower Nyquist frequency, 80 dB stopband. Stereo input is averaged
 * to mono first. State carries over between calls, so a stream can be converted frame by frame; the output is
 * delayed by half the filter length.
 */
export class Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  readonly channels: number;
  /** Up-sampling (interpolation) factor L and down-sampling factor M. */
  readonly up: number;
  readonly down: number;
  /** Taps per phase. */
  readonly taps: number;
  /** Coefficients, phase by phase: phase p's taps are at p·taps … p·taps + taps - 1. */
  private readonly filter: Float32Array;
  /** The last taps - 1 input samples, then the current chunk. */
  private work: Float32Array;
  /** Position of the next output sample in 1/up input samples, from the start of the current chunk. */
  private position = 0;

  constructor(options: ResamplerOptions) {
    const { inputRate } = options;
    const outputRate = options.outputRate ?? SAMPLE_RATE;
    const channels = options.channels ?? 1;
    if (!Number.isInteger(inputRate) || inputRate <= 0) throw new RangeError(`input rate must be a positive integer in Hz, got ${inputRate}`);
    if (!Number.isInteger(outputRate) || outputRate <= 0) throw new RangeError(`output rate must be a positive integer in Hz, got ${outputRate}`);
    if (channels !== 1 && channels !== 2) throw new RangeError(`channels must be 1 or 2, got ${channels}`);
    const divisor = gcd(inputRate, outputRate);
    this.up = outputRate / divisor;
    this.down = inputRate / divisor;
    if (this.up > MAX_PHASES) throw new RangeError(`cannot convert ${inputRate} Hz to ${outputRate} Hz: the ratio ${this.up}/${this.down} is too fine`);
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.channels = channels;

    // Kaiser design at the up-sampled rate (L · input rate), cut-off midway through the transition band.
    const nyquist = Math.min(inputRate, outputRate) / 2;
    const upRate = inputRate * this.up;
    const cutoff = (nyquist * (1 - TRANSITION / 2)) / upRate;
    const transition = (nyquist * TRANSITION) / upRate;
    const beta = 0.1102 * (ATTENUATION_DB - 8.7);
    const needed = Math.ceil((ATTENUATION_DB - 7.95) / (14.36 * transition)) + 1;
    this.taps = Math.max(2, Math.ceil(needed / this.up));
    const length = this.taps * this.up;
    const centre = (length - 1) / 2;
    const norm = besselI0(beta);
    this.filter = new Float32Array(length);
    for (let j = 0; j < length; j++) {
      const t = j - centre;
      const sinc = t === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
      const r = (2 * j) / (length - 1) - 1;
      // Gain `up` makes up for the zeros that up-sampling puts between the input samples.
      const value = this.up * sinc * (besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / norm);
      this.filter[(j % this.up) * this.taps + Math.floor(j / this.up)] = value;
    }
    this.work = new Float32Array(this.taps - 1 + 960);
  }

  /** Output samples that `inputSamples` interleaved input samples can produce at most (size `output` with it). */
  maxOutputLength(inputSamples: number): number {
    return Math.ceil(((inputSamples / this.channels) * this.up) / this.down) + 1;
  }

  /**
   * Converts the next chunk of interleaved input into `output`, returning how many samples it wrote. `output` must
   * hold `maxOutputLength(input.length)`. Nothing is allocated unless a chunk is longer than every one before.
   */
  process(input: Int16Array, output: Int16Array): number {
    const frames = Math.floor(input.length / this.channels);
    if (frames * this.channels !== input.length) throw new RangeError(`input holds ${input.length} samples, not a whole number of ${this.channels}-channel frames`);
    if (output.length < this.maxOutputLength(input.length)) throw new RangeError(`output holds ${output.length} samples; this chunk needs ${this.maxOutputLength(input.length)}`);
    const history = this.taps - 1;
    if (this.work.length < history + frames) {
      const grown = new Float32Array(history + frames);
      grown.set(this.work.subarray(0, history));
      this.work = grown;
    }
    const work = this.work;
    if (this.channels === 2) {
      for (let i = 0; i < frames; i++) work[history + i] = (input[2 * i] + input[2 * i + 1]) / 2;
    } else {
      for (let i = 0; i < frames; i++) work[history + i] = input[i];
    }
    const { up, down, taps, filter } = this;
    const end = frames * up;
    let written = 0;
    let position = this.position;
    while (position < end) {
      const newest = history + Math.floor(position / up);
      const base = (position % up) * taps;
      let sum = 0;
      for (let k = 0; k < taps; k++) sum += filter[base + k] * work[newest - k];
      output[written++] = saturate16(sum);
      position += down;
    }
    this.position = position - end;
    work.copyWithin(0, frames, frames + history);
    return written;
  }
}

/**
 * A whole recording converted to 16 kHz mono, with the filter's delay removed, so the output lines up with the input
 * and has `length · 16000 / inputRate` samples (rounded).
 */
export function resampleTo16k(samples: Int16Array, inputRate: number, channels = 1): Int16Array {
  const resampler = new Resampler({ inputRate, channels });
  const frames = samples.length / channels;
  const wanted = Math.round((frames * resampler.up) / resampler.down);
  // The filter delays by (taps·up - 1)/2 up-sampled samples; feed that much silence after the input and skip it.
  const delay = Math.round((resampler.taps * resampler.up - 1) / 2 / resampler.down);
  const tail = new Int16Array((Math.ceil((delay * resampler.down) / resampler.up) + 2) * channels);
  const out = new Int16Array(resampler.maxOutputLength(samples.length) + resampler.maxOutputLength(tail.length));
  let n = resampler.process(samples, out);
  n += resampler.process(tail, out.subarray(n));
  return out.slice(delay, Math.min(n, delay + wanted));
}
