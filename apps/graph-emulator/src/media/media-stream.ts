import { type ClientDuplexStream, type ServiceError, credentials, status } from '@grpc/grpc-js';
import { MediaServiceClient, type OpenCall, type StreamCallRequest, type StreamCallResponse } from '@switchboard/media-proto';

/** How a stream ended: `ok` only when it closed cleanly after this side ended it. */
export interface StreamEnd {
  ok: boolean;
  code: status;
  details: string;
}

export interface MediaStreamHandlers {
  response(response: StreamCallResponse): void;
  /** Called once, however the stream ends. */
  ended(end: StreamEnd): void;
}

/** Video frames can be large; the media service accepts up to 16 MiB (apps/media media-server.ts). */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * One call's `StreamCall` to its media pod, as the media platform opens it: `open` first, then frames. Frames are
 * real time, so they are never queued behind a slow pod: while the stream's send buffer is full a frame is
 * dropped and counted (the policy a media platform has: late audio is useless).
 */
export class MediaStream {
  private readonly client: MediaServiceClient;
  private readonly stream: ClientDuplexStream<StreamCallRequest, StreamCallResponse>;
  private endedBySelf = false;
  private done = false;
  framesSent = 0;
  framesDropped = 0;

  constructor(target: string, open: OpenCall, private readonly handlers: MediaStreamHandlers) {
    this.client = new MediaServiceClient(target, credentials.createInsecure(), {
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    });
    this.stream = this.client.streamCall();
    this.stream.on('data', (response: StreamCallResponse) => handlers.response(response));
    this.stream.on('error', (err: ServiceError) => this.finish({ ok: false, code: err.code, details: err.details || err.message }));
    this.stream.on('status', (s: { code: status; details: string }) => {
      if (s.code === status.OK) this.finish({ ok: this.endedBySelf, code: s.code, details: this.endedBySelf ? 'OK' : 'the pod ended the stream while the call was live' });
    });
    this.stream.write({ open });
  }

  /** Sends a frame or event unless the stream is backed up; returns whether it went out. */
  send(request: StreamCallRequest): boolean {
    if (this.done || this.endedBySelf) return false;
    if (this.stream.writableNeedDrain) {
      this.framesDropped += 1;
      return false;
    }
    this.stream.write(request);
    this.framesSent += 1;
    return true;
  }

  /** The call ended: half-close, so the pod finishes the stream with OK. */
  end(): void {
    if (this.endedBySelf || this.done) return;
    this.endedBySelf = true;
    this.stream.end();
  }

  private finish(end: StreamEnd): void {
    if (this.done) return;
    this.done = true;
    this.client.close();
    this.handlers.ended(end);
  }
}
