import { FRAME_SAMPLES } from '@switchboard/media-dsp';
import type { AudioFrame, StreamCallRequest } from '@switchboard/media-proto';

/** 100-ns ticks per 20 ms frame. */
export const TICKS_PER_FRAME = 200_000n;

/** Cuts samples into 20 ms frames (the last one padded with silence). */
export function framesOf(samples: Int16Array): Int16Array[] {
  const frames: Int16Array[] = [];
  for (let at = 0; at < samples.length; at += FRAME_SAMPLES) {
    const frame = new Int16Array(FRAME_SAMPLES);
    frame.set(samples.subarray(at, Math.min(at + FRAME_SAMPLES, samples.length)));
    frames.push(frame);
  }
  return frames;
}

export const bytesOf = (samples: Int16Array): Buffer => Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);

/** A mixed audio frame numbered `n` (its timestamp follows from n). */
export function audioFrame(samples: Int16Array, n: number, extra: Partial<AudioFrame> = {}): StreamCallRequest {
  return {
    audio: { data: bytesOf(samples), timestampTicks: BigInt(n + 1) * TICKS_PER_FRAME, isSilence: false, activeSpeakerMsis: [], unmixedBuffers: [], ...extra },
  };
}

/** An unmixed-only frame: each speaker's 20 ms, no mixed audio (as the platform sends with unmixed audio on). */
export function unmixedFrame(speakers: ReadonlyMap<number, Int16Array>, n: number): StreamCallRequest {
  const ticks = BigInt(n + 1) * TICKS_PER_FRAME;
  return {
    audio: {
      data: Buffer.alloc(0),
      timestampTicks: ticks,
      isSilence: false,
      activeSpeakerMsis: [...speakers.keys()],
      unmixedBuffers: [...speakers].map(([speakerMsi, s]) => ({ speakerMsi, data: bytesOf(s), originalSenderTimestampTicks: ticks })),
    },
  };
}
