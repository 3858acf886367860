import { DTMF_COLUMN_HZ, DTMF_ROW_HZ, dtmfDigitAt, type DtmfDigit } from './dtmf-keys';
import { GoertzelBin, hannWindow, runBank8 } from './goertzel';
import { SAMPLE_RATE, msToSamples, samplesToMs, sineAmplitude } from './pcm';

export interface DtmfEvent {
  /** `start` once a key has lasted long enough to count; `end` when it has stopped. */
  kind: 'start' | 'end';
  digit: DtmfDigit;
  /** Stream time of the tone's start, from the first sample pushed. */
  startMs: number;
  /** At `start`, how long the tone had lasted when it was recognised; at `end`, its whole duration. */
  durationMs: number;
}

export interface DtmfDetectorOptions {
  sampleRate?: number;
  /** Tones at least this long are reported; tones of 25 ms or less never are. Default 40. */
  minToneMs?: number;
  /** Silences at least this long between two tones separate them; interruptions of 10 ms or less never do. Default 40. */
  minGapMs?: number;
  /** Weakest tone (each of the two) that counts, in dBFS. Default -45. */
  minLevelDbfs?: number;
  /** How far the low-group tone may be above the high-group one (normal twist), in dB. Default 8 (1 dB more is allowed for measurement noise). */
  normalTwistDb?: number;
  /** How far the high-group tone may be above the low-group one (reverse twist), in dB. Default 4 (1 dB more is allowed for measurement noise). */
  reverseTwistDb?: number;
  /**
   * Largest relative frequency error accepted. Default 0.025: halfway between the ±1.5% a receiver must accept and
   * the ±3.5% it must reject.
   */
  frequencyTolerance?: number;
  /** Share of the signal's energy the two tones must hold (noise and talk-off guard). Default 0.6 (about 2 dB SNR). */
  minToneShare?: number;
  /** How far each tone must stand above the other tones of its group, in dB. Default 6. */
  relativePeakDb?: number;
  /** How far a tone's second harmonic must stay below it, in dB (talk-off guard). Default 15. */
  harmonicRejectDb?: number;
  onEvent?: (event: DtmfEvent) => void;
}

const NONE = -1;
/** Analysis window and hop. The window's bins are 50 Hz wide; the 5 ms hop measures up to ±100 Hz of error. */
const WINDOW_MS = 20;
const HOP_MS = 5;
/**
 * How much of a tone's edges the analysis misses: a window counts once the tone fills most of it, so a run of n
 * passing windows means a tone of about (n - 1) hops + window - 2 × EDGE_MS.
 */
const EDGE_MS = 5;
/** Interruptions at most this long never split a tone. */
const BRIDGED_GAP_MS = 10;
/** Tones at most this long are never reported. */
const REJECTED_TONE_MS = 25;
/** Twist is measured in noise: a key at the twist limit must still pass, so the check allows this much more. */
const TWIST_MARGIN_DB = 1;

/**
 * A streaming DTMF receiver for one audio stream. Every 5 ms it analyses the last 20 ms (Hann window) with Goertzel
 * filters at the eight key frequencies; a window holds a key when one row and one column tone stand out from their
 * groups, both are loud enough, their twist is within limits, their frequencies (measured from the phase advance
 * between windows) are within the tolerance, their second harmonics are weak, and they hold most of the energy.
 * Runs of windows are then debounced into tone start and end events by duration and gap.
 *
 * Create one per stream; `push` takes frames of any length and allocates nothing.
 */
export class DtmfDetector {
  readonly sampleRate: number;
  private readonly window: Float64Array;
  private readonly ring: Float64Array;
  private readonly block: Float64Array;
  private ringPos = 0;
  private sinceHop = 0;
  private readonly hop: number;
  private readonly bins: GoertzelBin[];
  private readonly harmonics: GoertzelBin[];
  /** Per bin: the previous window's result and the previous phase-advance estimate. */
  private readonly prevRe = new Float64Array(8);
  private readonly prevIm = new Float64Array(8);
  private readonly prevZRe = new Float64Array(8);
  private readonly prevZIm = new Float64Array(8);
  private readonly power = new Float64Array(8);
  /** Per bin: the frequency error measured, in Hz, and the power corrected for the window's loss at that error. */
  private readonly errorHz = new Float64Array(8);
  private readonly corrected = new Float64Array(8);
  private readonly advanceCos = new Float64Array(8);
  private readonly advanceSin = new Float64Array(8);
  /** Keys whose row harmonic falls within three bins of their column tone (2, 3, 6, B and C): the check would mislead there. */
  private readonly rowHarmonicMasked: boolean[];
  private readonly binHz: number;
  private readonly minPower: number;
  private readonly toneShareScale: number;
  private readonly normalTwist: number;
  private readonly reverseTwist: number;
  private readonly tolerance: number;
  private readonly minShare: number;
  private readonly relativePeak: number;
  private readonly harmonicReject: number;
  private readonly onHops: number;
  private readonly offHops: number;
  private readonly edge: number;
  private readonly onEvent: (event: DtmfEvent) => void;

  /** Debouncing, in hops: the run being counted, and the tone being reported. */
  private candidate = NONE;
  private candidateRun = 0;
  private candidateFirst = 0;
  private candidateDropouts = 0;
  private current = NONE;
  private currentFirst = 0;
  private currentLast = 0;
  private misses = 0;
  private hops = 0;
  private keyWindowCount = 0;

  constructor(options: DtmfDetectorOptions = {}) {
    const fs = (this.sampleRate = options.sampleRate ?? SAMPLE_RATE);
    const length = msToSamples(WINDOW_MS, fs);
    this.hop = msToSamples(HOP_MS, fs);
    this.edge = msToSamples(EDGE_MS, fs);
    this.window = hannWindow(length);
    this.ring = new Float64Array(length);
    this.block = new Float64Array(length);
    const frequencies = [...DTMF_ROW_HZ, ...DTMF_COLUMN_HZ];
    this.bins = frequencies.map((f) => new GoertzelBin(f, fs));
    this.harmonics = frequencies.map((f) => new GoertzelBin(2 * f, fs));
    for (let k = 0; k < 8; k++) {
      const advance = (2 * Math.PI * frequencies[k] * this.hop) / fs;
      this.advanceCos[k] = Math.cos(advance);
      this.advanceSin[k] = Math.sin(advance);
    }
    this.binHz = fs / length;
    this.rowHarmonicMasked = Array.from({ length: 16 }, (_, i) => Math.abs(2 * DTMF_ROW_HZ[i >> 2] - DTMF_COLUMN_HZ[i & 3]) < 3 * this.binHz);

    let sum = 0;
    let sumSquares = 0;
    for (const w of this.window) {
      sum += w;
      sumSquares += w * w;
    }
    // A sine of amplitude A gives |Y|² = (A·Σw/2)² and a windowed energy of A²·Σw²/2.
    this.minPower = ((sineAmplitude(options.minLevelDbfs ?? -45) * sum) / 2) ** 2;
    this.toneShareScale = (2 * sumSquares) / (sum * sum);
    this.normalTwist = 10 ** (((options.normalTwistDb ?? 8) + TWIST_MARGIN_DB) / 10);
    this.reverseTwist = 10 ** (((options.reverseTwistDb ?? 4) + TWIST_MARGIN_DB) / 10);
    this.tolerance = options.frequencyTolerance ?? 0.025;
    this.minShare = options.minToneShare ?? 0.6;
    this.relativePeak = 10 ** ((options.relativePeakDb ?? 6) / 10);
    this.harmonicReject = 10 ** (-(options.harmonicRejectDb ?? 15) / 10);

    const minTone = options.minToneMs ?? 40;
    const minGap = options.minGapMs ?? 40;
    // A run of n windows stands for (n - 1)·hop + window - 2·edge of tone; start at the midpoint between the longest
    // tone that must be rejected and the shortest that must be reported.
    const span = WINDOW_MS - 2 * EDGE_MS;
    this.onHops = Math.max(1, Math.round(((REJECTED_TONE_MS + minTone) / 2 - span) / HOP_MS) + 1);
    // A gap of g ms fails about (g + window - 2·edge) / hop windows; end a tone midway between a bridged
    // interruption and the minimum gap.
    this.offHops = Math.max(1, Math.round(((BRIDGED_GAP_MS + minGap) / 2 + span) / HOP_MS));
    this.onEvent = options.onEvent ?? (() => undefined);
  }

  /**
   * Analysis windows (one per 5 ms) that held a key, whether or not a tone followed: on speech, how close it came
   * to a false detection.
   */
  get keyWindows(): number {
    return this.keyWindowCount;
  }

  /** Analyses the next samples of the stream. */
  push(frame: Int16Array): void {
    const ring = this.ring;
    const length = ring.length;
    for (let i = 0; i < frame.length; i++) {
      ring[this.ringPos] = frame[i];
      if (++this.ringPos === length) this.ringPos = 0;
      if (++this.sinceHop === this.hop) {
        this.sinceHop = 0;
        this.debounce(this.analyse());
      }
    }
  }

  /** Ends a tone still in progress (at the end of a stream), reporting its `end`. */
  flush(): void {
    if (this.current !== NONE) this.finish();
    this.candidate = NONE;
    this.candidateRun = 0;
  }

  /** Which key the last 20 ms hold, as 4·row + column, or NONE. */
  private analyse(): number {
    const ring = this.ring;
    const block = this.block;
    const window = this.window;
    const length = ring.length;
    let energy = 0;
    for (let n = 0, r = this.ringPos; n < length; n++) {
      const v = ring[r] * window[n];
      block[n] = v;
      energy += v * v;
      if (++r === length) r = 0;
    }
    let bestRow = 0;
    let bestColumn = 4;
    runBank8(this.bins, block);
    for (let k = 0; k < 8; k++) {
      this.power[k] = this.bins[k].power;
      if (k < 4 ? this.power[k] > this.power[bestRow] : this.power[k] > this.power[bestColumn]) {
        if (k < 4) bestRow = k;
        else bestColumn = k;
      }
    }
    // The phase advance of every bin is kept up to date, so the next window has its predecessor.
    for (let k = 0; k < 8; k++) this.trackPhase(k);
    const rowError = this.errorHz[bestRow];
    const columnError = this.errorHz[bestColumn];

    const rowPower = this.power[bestRow];
    const columnPower = this.power[bestColumn];
    if (rowPower < this.minPower || columnPower < this.minPower) return NONE;
    if (Math.abs(rowError) > this.tolerance * DTMF_ROW_HZ[bestRow] || Math.abs(columnError) > this.tolerance * DTMF_COLUMN_HZ[bestColumn - 4]) return NONE;
    for (let k = 0; k < 8; k++) {
      if (k === bestRow || k === bestColumn) continue;
      if (this.power[k] * this.relativePeak > (k < 4 ? rowPower : columnPower)) return NONE;
    }
    // Compensate the window's loss for the measured frequency error before comparing levels.
    this.correct(bestRow);
    this.correct(bestColumn);
    const row = this.corrected[bestRow];
    const column = this.corrected[bestColumn];
    if (row > column * this.normalTwist || column > row * this.reverseTwist) return NONE;
    if ((row + column) * this.toneShareScale < this.minShare * energy) return NONE;
    const key = bestRow * 4 + bestColumn - 4;
    this.harmonics[bestColumn].run(block);
    if (this.harmonics[bestColumn].power > columnPower * this.harmonicReject) return NONE;
    if (!this.rowHarmonicMasked[key]) {
      this.harmonics[bestRow].run(block);
      if (this.harmonics[bestRow].power > rowPower * this.harmonicReject) return NONE;
    }
    return key;
  }

  /**
   * Bin k's power divided by the Hann window's loss at its measured frequency error, x bins off centre:
   * |sinc(x) / (1 - x²)|. Written out here: a double returned from a call that is not inlined would be boxed.
   */
  private correct(k: number): void {
    const x = Math.abs(this.errorHz[k] / this.binHz);
    const loss = x < 1e-9 ? 1 : Math.abs(x - 1) < 1e-9 ? 0.5 : Math.abs(Math.sin(Math.PI * x) / (Math.PI * x) / (1 - x * x));
    this.corrected[k] = this.power[k] / (loss * loss);
  }

  /** Updates bin k's phase-advance estimate (the sum over the last two window pairs) and the frequency error it measures. */
  private trackPhase(k: number): void {
    const bin = this.bins[k];
    // z = Y · conj(Yprev) · e^{-jωD}: its angle is 2π·error·D/fs.
    const pr = bin.re * this.prevRe[k] + bin.im * this.prevIm[k];
    const pi = bin.im * this.prevRe[k] - bin.re * this.prevIm[k];
    const zr = pr * this.advanceCos[k] + pi * this.advanceSin[k];
    const zi = pi * this.advanceCos[k] - pr * this.advanceSin[k];
    const sumRe = zr + this.prevZRe[k];
    const sumIm = zi + this.prevZIm[k];
    this.prevRe[k] = bin.re;
    this.prevIm[k] = bin.im;
    this.prevZRe[k] = zr;
    this.prevZIm[k] = zi;
    this.errorHz[k] = (Math.atan2(sumIm, sumRe) * this.sampleRate) / (2 * Math.PI * this.hop);
  }

  private debounce(key: number): void {
    const hop = this.hops++;
    if (key !== NONE) this.keyWindowCount++;
    if (key !== NONE && key === this.current) {
      this.currentLast = hop;
      this.misses = 0;
      this.candidate = NONE;
      this.candidateRun = 0;
      return;
    }
    if (this.current !== NONE) this.misses++;
    if (key === NONE) {
      // A single window lost to noise does not break a run (it does not count towards it either).
      if (++this.candidateDropouts > 1) {
        this.candidate = NONE;
        this.candidateRun = 0;
      }
    } else if (key === this.candidate) {
      this.candidateRun++;
      this.candidateDropouts = 0;
    } else {
      this.candidate = key;
      this.candidateRun = 1;
      this.candidateFirst = hop;
      this.candidateDropouts = 0;
    }
    if (this.candidate !== NONE && this.candidateRun >= this.onHops) {
      if (this.current !== NONE) this.finish();
      this.current = this.candidate;
      this.currentFirst = this.candidateFirst;
      this.currentLast = hop;
      this.misses = 0;
      this.candidate = NONE;
      this.candidateRun = 0;
      this.emit('start');
    } else if (this.current !== NONE && this.misses >= this.offHops) {
      this.finish();
    }
  }

  private finish(): void {
    this.emit('end');
    this.current = NONE;
    this.misses = 0;
  }

  private emit(kind: DtmfEvent['kind']): void {
    // Hop h analysed the window ending at sample (h + 1)·hop.
    const windowLength = this.ring.length;
    const start = (this.currentFirst + 1) * this.hop - windowLength + this.edge;
    const end = (this.currentLast + 1) * this.hop - this.edge;
    this.onEvent({
      kind,
      digit: dtmfDigitAt(this.current >> 2, this.current & 3),
      startMs: samplesToMs(Math.max(0, start), this.sampleRate),
      durationMs: samplesToMs(end - start, this.sampleRate),
    });
  }
}
