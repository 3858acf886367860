import {
  AudioFormat,
  AudioFrame,
  DtmfTone,
  MediaSessionSettings,
  OpenCall,
  StreamCallRequest,
  VideoFormat,
  VideoFrame,
} from '@switchboard/media-proto';
import { FRAME_BYTES } from '@switchboard/media-dsp';
import { callIdProblem } from '@switchboard/nats-contracts';

/** 20 ms of PCM, 16 kHz, 16-bit, mono: the frame media-dsp's analysis and playback are built on. */
export const AUDIO_FRAME_BYTES = FRAME_BYTES;
export const MAX_UNMIXED_BUFFERS = 4;

/** A request that failed to decode; carried to the handler so it can answer INVALID_ARGUMENT. */
export interface UndecodableFrame {
  undecodable: string;
}

export type IncomingRequest = StreamCallRequest | UndecodableFrame;

export function isUndecodable(request: IncomingRequest): request is UndecodableFrame {
  return 'undecodable' in request;
}

/** Problem with the first message, or undefined when it opens a call correctly. */
export function openProblem(request: IncomingRequest): string | undefined {
  if (isUndecodable(request)) return `first message could not be decoded: ${request.undecodable}`;
  if (!request.open) {
    const kind = request.audio ? 'an audio frame' : request.video ? 'a video frame' : isPlatformEvent(request) ? 'an event' : 'no payload';
    return `first message must open the call, got ${kind}`;
  }
  return openCallProblem(request.open);
}

function openCallProblem(open: OpenCall): string | undefined {
  const callIdIssue = callIdProblem(open.callId);
  if (callIdIssue) return `open.call_id ${callIdIssue}`;
  if (!open.settings) return 'open.settings is required';
  return settingsProblem(open.settings);
}

function settingsProblem(settings: MediaSessionSettings): string | undefined {
  if (settings.audioFormat !== AudioFormat.AUDIO_FORMAT_PCM_16K) {
    return `open.settings.audio_format must be AUDIO_FORMAT_PCM_16K, got ${settings.audioFormat}`;
  }
  const bad = settings.videoSubscriptions.find((s) => s.format === VideoFormat.VIDEO_FORMAT_UNSPECIFIED);
  return bad ? `open.settings.video_subscriptions: msi ${bad.msi} has no format` : undefined;
}

/** Problem with a message after the first, or undefined when it is a well-formed frame. */
export function frameProblem(request: IncomingRequest, index: number): string | undefined {
  if (isUndecodable(request)) return `message ${index} could not be decoded: ${request.undecodable}`;
  if (request.open) return `message ${index} opens the call again; a stream carries one call`;
  if (request.audio) return audioProblem(request.audio, index);
  if (request.video) return videoProblem(request.video, index);
  if (request.tone) return request.tone.tone === DtmfTone.DTMF_TONE_UNSPECIFIED ? `tone ${index} has no tone` : undefined;
  if (request.dominantSpeakerChanged || request.streamFailure) return undefined;
  return `message ${index} carries no payload`;
}

/** Something the media platform reported about the call rather than a frame. */
export function isPlatformEvent(request: StreamCallRequest): boolean {
  return Boolean(request.tone || request.dominantSpeakerChanged || request.streamFailure);
}

function audioProblem(frame: AudioFrame, index: number): string | undefined {
  // With unmixed audio the platform stops the mixed stream: such frames carry only per-speaker buffers.
  const unmixedOnly = frame.data.length === 0 && frame.unmixedBuffers.length > 0;
  if (frame.data.length !== AUDIO_FRAME_BYTES && !unmixedOnly) {
    return `audio frame ${index} has ${frame.data.length} bytes, expected ${AUDIO_FRAME_BYTES} (20 ms PCM 16 kHz 16-bit mono)`;
  }
  if (frame.unmixedBuffers.length > MAX_UNMIXED_BUFFERS) {
    return `audio frame ${index} has ${frame.unmixedBuffers.length} unmixed buffers, at most ${MAX_UNMIXED_BUFFERS} allowed`;
  }
  const bad = frame.unmixedBuffers.find((b) => b.data.length !== AUDIO_FRAME_BYTES);
  return bad
    ? `audio frame ${index}: unmixed buffer of speaker ${bad.speakerMsi} has ${bad.data.length} bytes, expected ${AUDIO_FRAME_BYTES}`
    : undefined;
}

function videoProblem(frame: VideoFrame, index: number): string | undefined {
  if (frame.format === VideoFormat.VIDEO_FORMAT_UNSPECIFIED) return `video frame ${index} has no format`;
  if (frame.width === 0 || frame.height === 0) return `video frame ${index} has no size (${frame.width}x${frame.height})`;
  if (frame.data.length === 0) return `video frame ${index} is empty`;
  return undefined;
}
