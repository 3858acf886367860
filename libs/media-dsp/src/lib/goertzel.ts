/**
 * One frequency of a Goertzel bank: the recurrence over a block gives the DFT at that frequency up to a phase factor
 * that is the same for every block of the same length, so the phase advance between overlapping blocks measures how
 * far the input is from `frequencyHz`.
 */
export class GoertzelBin {
  readonly coefficient: number;
  readonly cos: number;
  readonly sin: number;
  /** Last result: Y = s[N-1] - e^{-jω} s[N-2]. */
  re = 0;
  im = 0;

  constructor(readonly frequencyHz: number, sampleRate: number) {
    const omega = (2 * Math.PI * frequencyHz) / sampleRate;
    this.cos = Math.cos(omega);
    this.sin = Math.sin(omega);
    this.coefficient = 2 * this.cos;
  }

  /** Runs the recurrence over `block` and returns |Y|² (the complex result is left in `re`/`im`). */
  run(block: Float64Array): number {
    const c = this.coefficient;
    let s1 = 0;
    let s2 = 0;
    for (let n = 0; n < block.length; n++) {
      const s0 = block[n] + c * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    this.re = s1 - this.cos * s2;
    this.im = this.sin * s2;
    return this.re * this.re + this.im * this.im;
  }
}

/** A Hann window of `length` points (periodic form, the usual one for overlapping analysis). */
export function hannWindow(length: number): Float64Array {
  const w = new Float64Array(length);
  for (let n = 0; n < length; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / length);
  return w;
}

/** Magnitude response of a Hann window `bins` DFT bins away from the centre, relative to the centre. */
export function hannResponse(bins: number): number {
  const x = Math.abs(bins);
  if (x < 1e-9) return 1;
  if (Math.abs(x - 1) < 1e-9) return 0.5;
  return Math.abs(Math.sin(Math.PI * x) / (Math.PI * x) / (1 - x * x));
}
