import { randomUUID } from 'node:crypto';
import { ServerDuplexStream, status } from '@grpc/grpc-js';
import { callLogger } from '@switchboard/service-kit';
import { ConnectBridgeRequest, ConnectBridgeResponse, MediaKind, MediaSessionSettings, VideoSubscription } from '@switchboard/media-proto';
import type { Logger } from 'pino';

type BridgeStream = ServerDuplexStream<ConnectBridgeRequest, ConnectBridgeResponse>;

/** The bridge could not create a call's media session (or no bridge answered in time). */
export class MediaSessionError extends Error {
  override readonly name = 'MediaSessionError';
}

/** The bridge did not change a call's video subscription (or no bridge answered in time). */
export class VideoSubscriptionError extends Error {
  override readonly name = 'VideoSubscriptionError';
}

/** Whose video a call receives: a participant to subscribe to, or one to stop receiving. */
export type VideoSubscriptionChange = { subscribe: VideoSubscription } | { unsubscribeMsi: number };

interface Pending<T> {
  resolve: (value: T) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** Requests sent to the bridge and waiting for its answer, by key; each fails on its own after a timeout. */
class Answers<T> {
  private readonly pending = new Map<string, Pending<T>>();

  constructor(private readonly timeoutMs: number) {}

  has(key: string): boolean {
    return this.pending.has(key);
  }

  wait(key: string, timedOut: () => Error, send: () => void): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(key);
        reject(timedOut());
      }, this.timeoutMs);
      this.pending.set(key, { resolve, reject, timer });
      send();
    });
  }

  settle(key: string, outcome: { value: T } | Error): void {
    const waiting = this.pending.get(key);
    if (!waiting) return;
    this.pending.delete(key);
    clearTimeout(waiting.timer);
    if (outcome instanceof Error) waiting.reject(outcome);
    else waiting.resolve(outcome.value);
  }

  failAll(err: () => Error): void {
    for (const key of [...this.pending.keys()]) this.settle(key, err());
  }
}

/**
 * The pod's media bridge, connected over ConnectBridge. PrepareCall asks it to create each call's
 * media session and waits for the appHostedMediaConfig blob; while a call lives, the service can
 * change whose video it receives. At most one bridge is attached; a new connection replaces the old
 * one (a restarted bridge container).
 */
export class BridgeLink {
  private stream: BridgeStream | undefined;
  private healthy = false;
  private readonly sessions: Answers<string>;
  private readonly subscriptions: Answers<void>;

  constructor(
    private readonly logger: Logger,
    private readonly sessionTimeoutMs = 10_000,
  ) {
    this.sessions = new Answers(sessionTimeoutMs);
    this.subscriptions = new Answers(sessionTimeoutMs);
  }

  /** A bridge is attached; PrepareCall then needs it. */
  get connected(): boolean {
    return this.stream !== undefined;
  }

  get platformHealthy(): boolean {
    return this.stream !== undefined && this.healthy;
  }

  createSession(callId: string, settings: MediaSessionSettings): Promise<string> {
    const stream = this.stream;
    if (!stream) return Promise.reject(new MediaSessionError('no media bridge is connected'));
    if (!this.healthy) return Promise.reject(new MediaSessionError('the media platform is not healthy'));
    if (this.sessions.has(callId)) return Promise.reject(new MediaSessionError(`a media session for ${callId} is being created`));
    return this.sessions.wait(
      callId,
      () => new MediaSessionError(`the media bridge did not create the session within ${this.sessionTimeoutMs} ms`),
      () => stream.write({ createSession: { callId, settings } }),
    );
  }

  /**
   * Changes whose video (main video, or screen sharing with `kind`) the call receives; resolves once
   * the bridge has changed it, rejects with the bridge's reason (no such call, no free socket, ...).
   */
  updateVideoSubscription(callId: string, change: VideoSubscriptionChange, kind = MediaKind.MEDIA_KIND_VIDEO): Promise<void> {
    const stream = this.stream;
    if (!stream) return Promise.reject(new VideoSubscriptionError('no media bridge is connected'));
    const requestId = randomUUID();
    return this.subscriptions.wait(
      requestId,
      () => new VideoSubscriptionError(`the media bridge did not change the video subscription within ${this.sessionTimeoutMs} ms`),
      () => stream.write({ updateVideoSubscription: { callId, requestId, kind, ...change } }),
    );
  }

  endSession(callId: string): void {
    this.stream?.write({ endSession: { callId } });
  }

  /** Handler of ConnectBridge. */
  async attach(stream: BridgeStream): Promise<void> {
    const requests = stream.iterator({ destroyOnReturn: false }) as AsyncIterableIterator<ConnectBridgeRequest>;
    let attached = false;
    try {
      for await (const request of requests) {
        if (request.hello) {
          if (!attached) {
            this.stream?.end();
            this.stream = stream;
            attached = true;
            this.logger.info({ bridgePod: request.hello.podName }, 'media bridge connected');
          }
          if (this.healthy !== request.hello.platformHealthy) {
            this.logger.info({ platformHealthy: request.hello.platformHealthy }, 'media platform health changed');
          }
          this.healthy = request.hello.platformHealthy;
        } else if (!attached) {
          stream.emit('error', { code: status.INVALID_ARGUMENT, details: 'first message must be hello' });
          return;
        } else if (request.sessionCreated) {
          this.sessions.settle(request.sessionCreated.callId, { value: request.sessionCreated.mediaConfigurationBlob });
        } else if (request.sessionFailed) {
          const { callId, message } = request.sessionFailed;
          callLogger(this.logger, callId).warn({ reason: message }, 'media bridge could not create the session');
          this.sessions.settle(callId, new MediaSessionError(message));
        } else if (request.videoSubscriptionUpdated) {
          const { callId, requestId, error } = request.videoSubscriptionUpdated;
          if (error) callLogger(this.logger, callId).warn({ reason: error }, 'media bridge did not change the video subscription');
          this.subscriptions.settle(requestId, error ? new VideoSubscriptionError(error) : { value: undefined });
        }
      }
    } catch {
      // A broken connection is the same as an ended one.
    } finally {
      if (attached && this.stream === stream) {
        this.stream = undefined;
        this.healthy = false;
        this.logger.warn('media bridge disconnected');
        this.sessions.failAll(() => new MediaSessionError('the media bridge disconnected'));
        this.subscriptions.failAll(() => new VideoSubscriptionError('the media bridge disconnected'));
      }
    }
    if (!stream.destroyed && !stream.writableEnded) stream.end();
  }

  /** Ends the bridge's stream (the service stops). */
  close(): void {
    this.stream?.end();
  }
}
