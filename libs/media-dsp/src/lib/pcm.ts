/** The media platform's audio: 16 kHz, 16-bit signed little-endian, mono; one frame is 20 ms. */
export const SAMPLE_RATE = 16_000;
export const FRAME_MS = 20;
export const FRAME_SAMPLES = (SAMPLE_RATE * FRAME_MS) / 1000;
export const FRAME_BYTES = FRAME_SAMPLES * 2;

export const INT16_MAX = 32_767;
export const INT16_MIN = -32_768;

/** Rounds and clamps to the 16-bit range. */
export const saturate16 = (value: number): number => (value >= INT16_MAX ? INT16_MAX : value <= INT16_MIN ? INT16_MIN : Math.round(value));

/**
 * Levels in dBFS are RMS relative to a full-scale sine (peak 32767 = 0 dBFS), so a sine at L dBFS has the peak
 * amplitude `32767 · 10^(L/20)`.
 */
export const sineAmplitude = (levelDbfs: number): number => INT16_MAX * 10 ** (levelDbfs / 20);

/** G.711's digital milliwatt: a sine at 0 dBm0 is 3.14 dB below a full-scale sine. */
export const dbm0ToDbfs = (levelDbm0: number): number => levelDbm0 - 3.14;

/** RMS level of samples in dBFS (a full-scale sine is 0 dBFS); -Infinity for silence. */
export function levelDbfs(samples: Int16Array, start = 0, end = samples.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += samples[i] * samples[i];
  const meanSquare = end > start ? sum / (end - start) : 0;
  return 10 * Math.log10(meanSquare / ((INT16_MAX * INT16_MAX) / 2));
}

/** Samples → milliseconds at `sampleRate`. */
export const samplesToMs = (samples: number, sampleRate = SAMPLE_RATE): number => (samples * 1000) / sampleRate;

/** Milliseconds → samples at `sampleRate`, rounded. */
export const msToSamples = (ms: number, sampleRate = SAMPLE_RATE): number => Math.round((ms * sampleRate) / 1000);

/**
 * An Int16Array over little-endian PCM bytes (a 640-byte frame from the wire) without copying when the bytes are
 * aligned; a copy when they are not (Node's pooled Buffers may start at an odd offset).
 */
export function pcm16View(bytes: Uint8Array): Int16Array {
  if (bytes.byteLength % 2 !== 0) throw new RangeError(`PCM16 needs an even number of bytes, got ${bytes.byteLength}`);
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  const copy = new Int16Array(bytes.byteLength / 2);
  new Uint8Array(copy.buffer).set(bytes);
  return copy;
}
