import { once } from 'node:events';
import type { ClientDuplexStream, ServiceError } from '@grpc/grpc-js';
import type { AttachCallRequest, AttachCallResponse, VideoFrame } from '@switchboard/media-proto';
import type { MediaSpeaker } from '@switchboard/nats-contracts';

export interface AttachOptions {
  /** The call as heard (every speaker mixed). Default true. */
  mixedAudio?: boolean;
  /** Each speaker's own audio (calls with unmixed audio). Default false. */
  speakerAudio?: boolean;
}

/** One thing the pod sent: 20 ms of audio (`atMs` on the clock of the call's events), a video frame, or a warning. */
export type CallFrame =
  | { kind: 'mixed'; data: Buffer; atMs: number; timestampTicks: bigint }
  | { kind: 'speaker'; data: Buffer; atMs: number; timestampTicks: bigint; speaker: MediaSpeaker }
  | { kind: 'video'; frame: VideoFrame; speaker: MediaSpeaker }
  | { kind: 'screen-sharing'; frame: VideoFrame }
  /** The pod dropped frames this client read too slowly, or skipped audio it sent that was not 640 bytes. */
  | { kind: 'warning'; message: string };

const speakerOf = (msi: number, participantId: string, displayName: string): MediaSpeaker => ({
  msi,
  ...(participantId ? { participantId } : {}),
  ...(displayName ? { displayName } : {}),
});

/**
 * A bot's frames of one call, over the hosting pod's AttachCall stream: read them with `for await (const f of
 * frames)`, send audio with `send` (640-byte frames of 16 kHz 16-bit mono PCM; it waits when the pod asks the bot to
 * slow down), pick video with `selectVideo`. The iteration ends when the call ends.
 */
export class CallFrames implements AsyncIterable<CallFrame> {
  /** Settles when the stream ends: resolves when the call ended, rejects with the pod's gRPC error. */
  readonly ended: Promise<void>;

  constructor(
    readonly callId: string,
    private readonly stream: ClientDuplexStream<AttachCallRequest, AttachCallResponse>,
  ) {
    this.ended = new Promise<void>((resolve, reject) => {
      stream.on('status', (s) => s.code === 0 && resolve());
      stream.on('error', (e: ServiceError) => reject(e));
    });
    // Whoever does not await `ended` must not see an unhandled rejection; iteration reports the error too.
    this.ended.catch(() => undefined);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<CallFrame> {
    for await (const r of this.stream as AsyncIterable<AttachCallResponse>) {
      if (r.mixedAudio) yield { kind: 'mixed', data: r.mixedAudio.data, atMs: r.mixedAudio.atMs, timestampTicks: r.mixedAudio.timestampTicks };
      else if (r.speakerAudio) {
        const a = r.speakerAudio;
        yield { kind: 'speaker', data: a.data, atMs: a.atMs, timestampTicks: a.timestampTicks, speaker: speakerOf(a.speakerMsi, a.participantId, a.displayName) };
      } else if (r.video) yield { kind: 'video', frame: r.video, speaker: { msi: r.video.msi } };
      else if (r.screenSharing) yield { kind: 'screen-sharing', frame: r.screenSharing };
      else if (r.error) yield { kind: 'warning', message: r.error.message };
    }
  }

  /** Sends 20 ms of audio into the call; resolves when the stream can take more. */
  async send(frame: Buffer): Promise<void> {
    if (frame.length !== 640) throw new RangeError(`an audio frame is 640 bytes (20 ms of 16 kHz 16-bit mono), got ${frame.length}`);
    if (!this.stream.write({ audio: { data: frame, timestampTicks: 0n, promptId: '' } })) await once(this.stream, 'drain');
  }

  /** Starts or stops a participant's camera (by participant id or media source id) or the screen sharing. */
  selectVideo(what: { participantId?: string; msi?: number; screenSharing?: boolean }, subscribe = true): void {
    this.stream.write({ video: { participantId: what.participantId ?? '', msi: what.msi ?? 0, screenSharing: what.screenSharing ?? false, subscribe } });
  }

  /** Detaches (the call goes on). */
  close(): void {
    this.stream.end();
  }
}
