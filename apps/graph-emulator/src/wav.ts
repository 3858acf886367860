import { SAMPLE_RATE, writeWav } from '@switchboard/media-dsp';

/** Caps what a simulated recording can allocate (Graph records at most 120 s). */
const MAX_MS = 120_000;

/** Speech is simulated as a quiet 440 Hz tone, so that a listener (or a test) can tell it from silence. */
const VOICE_HZ = 440;
const VOICE_AMPLITUDE = 6_000;

const sampleAt = (ms: number) => Math.round((Math.min(Math.max(ms, 0), MAX_MS) * SAMPLE_RATE) / 1000);

/** A PCM WAV (mono, 16-bit, 16 kHz: the format Graph uses for prompts and recordings) of silence. */
export function silentWav(durationMs: number): Buffer {
  return recordingWav(durationMs, []);
}

/** A recording: silence, with a tone where the person spoke (`[fromMs, toMs)` into the recording). */
export function recordingWav(durationMs: number, speech: { fromMs: number; toMs: number }[]): Buffer {
  const samples = new Int16Array(sampleAt(durationMs));
  for (const { fromMs, toMs } of speech) {
    for (let i = sampleAt(fromMs); i < Math.min(sampleAt(toMs), samples.length); i++) {
      samples[i] = Math.round(VOICE_AMPLITUDE * Math.sin((2 * Math.PI * VOICE_HZ * i) / SAMPLE_RATE));
    }
  }
  const wav = writeWav({ sampleRate: SAMPLE_RATE, channels: 1, samples });
  return Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength);
}
