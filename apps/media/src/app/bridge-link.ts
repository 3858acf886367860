import { ServerDuplexStream, status } from '@grpc/grpc-js';
import { callLogger } from '@switchboard/service-kit';
import { ConnectBridgeRequest, ConnectBridgeResponse, MediaSessionSettings } from '@switchboard/media-proto';
import type { Logger } from 'pino';

type BridgeStream = ServerDuplexStream<ConnectBridgeRequest, ConnectBridgeResponse>;

/** The bridge could not create a call's media session (or no bridge answered in time). */
export class MediaSessionError extends Error {
  override readonly name = 'MediaSessionError';
}

interface Pending {
  resolve: (blob: string) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * The pod's media bridge, connected over ConnectBridge. PrepareCall asks it to create each call's
 * media session and waits for the appHostedMediaConfig blob. At most one bridge is attached; a new
 * connection replaces the old one (a restarted bridge container).
 */
export class BridgeLink {
  private stream: BridgeStream | undefined;
  private healthy = false;
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly logger: Logger,
    private readonly sessionTimeoutMs = 10_000,
  ) {}

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
    if (this.pending.has(callId)) return Promise.reject(new MediaSessionError(`a media session for ${callId} is being created`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(callId);
        reject(new MediaSessionError(`the media bridge did not create the session within ${this.sessionTimeoutMs} ms`));
      }, this.sessionTimeoutMs);
      this.pending.set(callId, { resolve, reject, timer });
      stream.write({ createSession: { callId, settings } });
    });
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
          this.settle(request.sessionCreated.callId, request.sessionCreated.mediaConfigurationBlob);
        } else if (request.sessionFailed) {
          const { callId, message } = request.sessionFailed;
          callLogger(this.logger, callId).warn({ reason: message }, 'media bridge could not create the session');
          this.settle(callId, new MediaSessionError(message));
        }
      }
    } catch {
      // A broken connection is the same as an ended one.
    } finally {
      if (attached && this.stream === stream) {
        this.stream = undefined;
        this.healthy = false;
        this.logger.warn('media bridge disconnected');
        for (const callId of [...this.pending.keys()]) this.settle(callId, new MediaSessionError('the media bridge disconnected'));
      }
    }
    if (!stream.destroyed && !stream.writableEnded) stream.end();
  }

  /** Ends the bridge's stream (the service stops). */
  close(): void {
    this.stream?.end();
  }

  private settle(callId: string, outcome: string | Error): void {
    const waiting = this.pending.get(callId);
    if (!waiting) return;
    this.pending.delete(callId);
    clearTimeout(waiting.timer);
    if (typeof outcome === 'string') waiting.resolve(outcome);
    else waiting.reject(outcome);
  }
}
