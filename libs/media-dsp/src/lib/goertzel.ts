/**
 * One frequency of a Goertzel bank: the recurrence over a block gives the DFT at that frequency up to a phase factor
 * that is the same for every block of the same length, so the phase advance between overlapping blocks measures how
 * far the input is from `frequencyHz`.
 */
export class GoertzelBin {
  readonly coefficient: number;
  readonly cos: number;
  readonly sin: number;
  /** Last result: Y = s[N-1] - e^{-jω} s[N-2], and |Y|². */
  re = 0;
  im = 0;
  power = 0;

  constructor(readonly frequencyHz: number, sampleRate: number) {
    const omega = (2 * Math.PI * frequencyHz) / sampleRate;
    this.cos = Math.cos(omega);
    this.sin = Math.sin(omega);
    this.coefficient = 2 * this.cos;
  }

  /**
   * Runs the recurrence over `block`, leaving the result in `re`, `im` and `power` (fields rather than a return
   * value: a double returned from a call that is not inlined is boxed, an allocation per call).
   */
  run(block: Float64Array): void {
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
    this.power = this.re * this.re + this.im * this.im;
  }
}

/** A Hann window of `length` points (periodic form, the usual one for overlapping analysis). */
export function hannWindow(length: number): Float64Array {
  const w = new Float64Array(length);
  for (let n = 0; n < length; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / length);
  return w;
}
