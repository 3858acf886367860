/** Sign changes per second / 2: the frequency of a clean sine. */
export function zeroCrossingHz(samples: Int16Array, sampleRate: number): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1] < 0 !== samples[i] < 0) crossings++;
  return (crossings * sampleRate) / samples.length / 2;
}
