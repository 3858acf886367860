import { saturate16 } from './pcm';

/**
 * Sums `inputs` sample by sample into `output` with saturation (clipped to the 16-bit range, never wrapped). An
 * input shorter than `output` is silence after its end. Each input may be scaled by `gains[i]` (linear).
 */
export function mixFrames(inputs: readonly Int16Array[], output: Int16Array, gains?: readonly number[]): void {
  output.fill(0);
  if (inputs.length === 0) return;
  for (let i = 0; i < output.length; i++) {
    let sum = 0;
    for (let k = 0; k < inputs.length; k++) {
      const input = inputs[k];
      if (i < input.length) sum += gains ? input[i] * gains[k] : input[i];
    }
    output[i] = saturate16(sum);
  }
}

/** Adds `source` into `target` in place, with saturation. */
export function mixInto(target: Int16Array, source: Int16Array, gain = 1): void {
  const n = Math.min(target.length, source.length);
  for (let i = 0; i < n; i++) {
    target[i] = saturate16(target[i] + source[i] * gain);
  }
}

/** Linear gain of `db` decibels. */
export const dbToGain = (db: number): number => 10 ** (db / 20);
