import { FRAME_SAMPLES, mixFrames } from '@switchboard/media-dsp';
import type { AudioFrame } from '@switchboard/media-proto';
import type { Voice } from './voice';

/** The media platform stamps frames in 100-ns ticks; one 20 ms frame is 200 000 of them. */
export const TICKS_PER_FRAME = 200_000n;
/** The platform hands out at most four unmixed speaker buffers per frame. */
const MAX_UNMIXED = 4;

export interface Speaker {
  /** The participant's audio media source id (roster `mediaStreams[].sourceId`). */
  msi: number;
  voice: Voice;
  /** This speaker's samples for the frame being built (one buffer per speaker, reused). */
  samples: Int16Array;
}

export const newSpeaker = (msi: number, voice: Voice): Speaker => ({ msi, voice, samples: new Int16Array(FRAME_SAMPLES) });

const bytesOf = (samples: Int16Array): Buffer => Buffer.from(samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.byteLength));

/**
 * The next 20 ms of a call as the platform delivers it: the speakers' voices mixed, with the MSIs of those making
 * a sound as active speakers; or, when the bot asked for unmixed audio, one buffer per active speaker (the loudest
 * four) and no mixed audio, as the platform stops the mixed stream then. A frame in which nobody speaks is silence.
 */
export function nextAudioFrame(speakers: readonly Speaker[], timestampTicks: bigint, unmixed: boolean, mix: Int16Array): { frame: AudioFrame; active: number[] } {
  const active = speakers.filter((s) => s.voice.fill(s.samples));
  const activeMsis = active.map((s) => s.msi);
  if (unmixed && active.length > 0) {
    const unmixedBuffers = active
      .slice(0, MAX_UNMIXED)
      .map((s) => ({ speakerMsi: s.msi, data: bytesOf(s.samples), originalSenderTimestampTicks: timestampTicks }));
    return { frame: { data: Buffer.alloc(0), timestampTicks, isSilence: false, activeSpeakerMsis: activeMsis, unmixedBuffers }, active: activeMsis };
  }
  mixFrames(speakers.map((s) => s.samples), mix);
  return {
    frame: { data: bytesOf(mix), timestampTicks, isSilence: active.length === 0, activeSpeakerMsis: activeMsis, unmixedBuffers: [] },
    active: activeMsis,
  };
}
