const SAMPLE_RATE = 16_000;
const BYTES_PER_SAMPLE = 2;
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
  const samples = sampleAt(durationMs);
  const dataBytes = samples * BYTES_PER_SAMPLE;
  const wav = Buffer.alloc(44 + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(SAMPLE_RATE, 24);
  wav.writeUInt32LE(SAMPLE_RATE * BYTES_PER_SAMPLE, 28);
  wav.writeUInt16LE(BYTES_PER_SAMPLE, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  for (const { fromMs, toMs } of speech) {
    for (let i = sampleAt(fromMs); i < Math.min(sampleAt(toMs), samples); i++) {
      wav.writeInt16LE(Math.round(VOICE_AMPLITUDE * Math.sin((2 * Math.PI * VOICE_HZ * i) / SAMPLE_RATE)), 44 + i * BYTES_PER_SAMPLE);
    }
  }
  return wav;
}
