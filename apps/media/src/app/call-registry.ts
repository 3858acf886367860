import { EventEmitter } from 'node:events';

/** Why the pod refused a call; mapped to FAILED_PRECONDITION by the gRPC layer. */
export class CallRefusedError extends Error {
  override readonly name = 'CallRefusedError';

  constructor(
    readonly reason: 'draining' | 'capacity' | 'duplicate',
    message: string,
  ) {
    super(message);
  }
}

export interface LoadSnapshot {
  activeCalls: number;
  maxCalls: number;
  draining: boolean;
}

export interface RegistryOptions {
  podName: string;
  maxCalls: number;
  preparedCallTtlMs: number;
}

/**
 * The calls this pod owns: prepared (slot reserved, stream not yet open) and streaming.
 * Emits 'draining' once when drain starts, 'idle' whenever the last live stream ends and
 * 'expired' (call id) when a prepared call never opened its stream.
 */
export class CallRegistry extends EventEmitter {
  private readonly prepared = new Map<string, NodeJS.Timeout>();
  private readonly streaming = new Set<string>();
  private draining = false;

  constructor(private readonly options: RegistryOptions) {
    super();
  }

  get isDraining(): boolean {
    return this.draining;
  }

  get liveStreams(): number {
    return this.streaming.size;
  }

  load(): LoadSnapshot {
    return {
      activeCalls: this.prepared.size + this.streaming.size,
      maxCalls: this.options.maxCalls,
      draining: this.draining,
    };
  }

  /** Reserves a slot for a call signaling is about to place here. */
  prepare(callId: string): void {
    if (this.prepared.has(callId) || this.streaming.has(callId)) {
      throw new CallRefusedError('duplicate', `call ${callId} is already on pod ${this.options.podName}`);
    }
    this.refuseNewCall();
    const expiry = setTimeout(() => {
      this.prepared.delete(callId);
      this.emit('expired', callId);
    }, this.options.preparedCallTtlMs);
    expiry.unref();
    this.prepared.set(callId, expiry);
  }

  /**
   * Starts streaming a call. A call prepared here is this pod's own and is accepted even while
   * draining; an unprepared call counts as new.
   */
  open(callId: string): void {
    if (this.streaming.has(callId)) {
      throw new CallRefusedError('duplicate', `call ${callId} already has a media stream on pod ${this.options.podName}`);
    }
    const expiry = this.prepared.get(callId);
    if (expiry) {
      clearTimeout(expiry);
      this.prepared.delete(callId);
    } else {
      this.refuseNewCall();
    }
    this.streaming.add(callId);
  }

  isPrepared(callId: string): boolean {
    return this.prepared.has(callId);
  }

  /** Frees the slot of a prepared call that will not stream (its media session could not be created). */
  unprepare(callId: string): void {
    clearTimeout(this.prepared.get(callId));
    this.prepared.delete(callId);
  }

  close(callId: string): void {
    if (!this.streaming.delete(callId)) return;
    if (this.streaming.size === 0) this.emit('idle');
  }

  startDrain(): void {
    if (this.draining) return;
    this.draining = true;
    // Prepared calls that never streamed are not live; drop them so drain does not wait on them.
    for (const expiry of this.prepared.values()) clearTimeout(expiry);
    this.prepared.clear();
    this.emit('draining');
  }

  /** Resolves true when no stream is live, false if `timeoutMs` passes first. */
  waitUntilIdle(timeoutMs: number): Promise<boolean> {
    if (this.streaming.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onIdle = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.off('idle', onIdle);
        resolve(false);
      }, timeoutMs);
      this.once('idle', onIdle);
    });
  }

  private refuseNewCall(): void {
    const pod = this.options.podName;
    if (this.draining) throw new CallRefusedError('draining', `pod ${pod} is draining and takes no new calls`);
    const { activeCalls, maxCalls } = this.load();
    if (activeCalls >= maxCalls) {
      throw new CallRefusedError('capacity', `pod ${pod} is at capacity (${activeCalls}/${maxCalls} calls)`);
    }
  }
}
