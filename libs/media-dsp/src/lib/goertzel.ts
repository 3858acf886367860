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
    this.finish(s1, s2);
  }

  /** The result from the recurrence's last two states. */
  finish(s1: number, s2: number): void {
    this.re = s1 - this.cos * s2;
    this.im = this.sin * s2;
    this.power = this.re * this.re + this.im * this.im;
  }
}

/**
 * Runs eight bins over the same block in one pass (the DTMF bank): the same recurrences as `run`, bit for bit, with
 * the block read once instead of eight times.
 */
export function runBank8(bins: readonly GoertzelBin[], block: Float64Array): void {
  const c0 = bins[0].coefficient, c1 = bins[1].coefficient, c2 = bins[2].coefficient, c3 = bins[3].coefficient;
  const c4 = bins[4].coefficient, c5 = bins[5].coefficient, c6 = bins[6].coefficient, c7 = bins[7].coefficient;
  let a1 = 0, a2 = 0, b1 = 0, b2 = 0, d1 = 0, d2 = 0, e1 = 0, e2 = 0;
  let f1 = 0, f2 = 0, g1 = 0, g2 = 0, h1 = 0, h2 = 0, i1 = 0, i2 = 0;
  for (let n = 0; n < block.length; n++) {
    const x = block[n];
    const a0 = x + c0 * a1 - a2; a2 = a1; a1 = a0;
    const b0 = x + c1 * b1 - b2; b2 = b1; b1 = b0;
    const d0 = x + c2 * d1 - d2; d2 = d1; d1 = d0;
    const e0 = x + c3 * e1 - e2; e2 = e1; e1 = e0;
    const f0 = x + c4 * f1 - f2; f2 = f1; f1 = f0;
    const g0 = x + c5 * g1 - g2; g2 = g1; g1 = g0;
    const h0 = x + c6 * h1 - h2; h2 = h1; h1 = h0;
    const i0 = x + c7 * i1 - i2; i2 = i1; i1 = i0;
  }
  bins[0].finish(a1, a2);
  bins[1].finish(b1, b2);
  bins[2].finish(d1, d2);
  bins[3].finish(e1, e2);
  bins[4].finish(f1, f2);
  bins[5].finish(g1, g2);
  bins[6].finish(h1, h2);
  bins[7].finish(i1, i2);
}

/** A Hann window of `length` points (periodic form, the usual one for overlapping analysis). */
export function hannWindow(length: number): Float64Array {
  const w = new Float64Array(length);
  for (let n = 0; n < length; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / length);
  return w;
}
