import type { ServerDuplexStream } from '@grpc/grpc-js';
import { BoundedQueue } from './session/bounded-queue';
import { writeWithBackpressure } from './write-with-backpressure';

export interface OutboundWriterOptions<T> {
  capacity: number;
  /** Newer messages with the same key replace a queued one (video frames of one source). */
  coalesceKey?: (message: T) => string | undefined;
  onDiscard?: (message: T, why: 'dropped' | 'coalesced') => void;
}

/**
 * Messages a producer sends on a gRPC stream at its own pace: queued (bounded, oldest dropped when the reader falls
 * behind) and written in order by one loop that waits for 'drain' whenever the transport is full.
 */
export class OutboundWriter<Req, Res> {
  private readonly queue: BoundedQueue<Res>;
  private writing = false;
  private closed = false;

  constructor(
    private readonly stream: ServerDuplexStream<Req, Res>,
    options: OutboundWriterOptions<Res>,
  ) {
    this.queue = new BoundedQueue<Res>({ capacity: options.capacity, policy: 'drop-oldest', coalesceKey: options.coalesceKey, onDiscard: options.onDiscard });
  }

  send(message: Res): void {
    if (this.closed) return;
    this.queue.push(message);
    if (!this.writing) void this.pump();
  }

  /** Stops writing; what is still queued is dropped (the stream is ending). */
  close(): void {
    this.closed = true;
    this.queue.clear();
  }

  private async pump(): Promise<void> {
    this.writing = true;
    try {
      for (let m = this.queue.shift(); m !== undefined && !this.closed; m = this.queue.shift()) {
        if (!(await writeWithBackpressure(this.stream, m))) {
          this.close();
          return;
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
