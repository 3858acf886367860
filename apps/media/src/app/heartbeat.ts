import type { JetStreamClient, KV } from 'nats';
import {
  MEDIA_HEARTBEAT_TTL_INTERVALS,
  mediaHeartbeatSchema,
  type MediaHeartbeat as Heartbeat,
  type NatsNames,
} from '@switchboard/nats-contracts';
import type { Logger } from 'pino';
import type { CallRegistry } from './call-registry';

/**
 * The media pods bucket: one entry per pod, kept for a few intervals after its last write, so a pod that is gone
 * for good disappears while one that stopped recently is still seen (and recognised as stopped by its `at`).
 */
export function openMediaPodsBucket(js: JetStreamClient, names: Pick<NatsNames, 'mediaPodsBucket'>, intervalMs: number): Promise<KV> {
  return js.views.kv(names.mediaPodsBucket, { history: 1, ttl: intervalMs * MEDIA_HEARTBEAT_TTL_INTERVALS });
}

export interface HeartbeatOptions {
  kv: Pick<KV, 'put' | 'delete'>;
  podName: string;
  calls: CallRegistry;
  intervalMs: number;
  /** Where signaling reaches this pod's gRPC media service. */
  grpcTarget?: string;
  logger: Logger;
  now?: () => Date;
}

/**
 * Writes this pod's load under its own name every interval, and at once when it starts draining, so signaling
 * stops placing calls here without waiting for the next beat. A failed write is logged and retried on the next
 * beat: a NATS outage must not take down the calls this pod carries.
 */
export class MediaHeartbeat {
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private failing = false;
  private stopped = false;
  private readonly onDraining = () => void this.beat();

  constructor(private readonly options: HeartbeatOptions) {}

  start(): Promise<void> {
    this.options.calls.on('draining', this.onDraining);
    this.timer = setInterval(() => void this.beat(), this.options.intervalMs);
    this.timer.unref();
    return this.beat();
  }

  /** What the next heartbeat says. */
  snapshot(): Heartbeat {
    const { podName, calls, intervalMs, grpcTarget } = this.options;
    const load = calls.load();
    return mediaHeartbeatSchema.parse({
      pod: podName,
      ...load,
      at: (this.options.now?.() ?? new Date()).toISOString(),
      intervalMs,
      ...(grpcTarget ? { grpcTarget } : {}),
    });
  }

  /** One write; writes never overlap, so the bucket never goes back to an older load. */
  beat(): Promise<void> {
    if (this.stopped) return this.writing;
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  /** Stops beating; `remove` deletes the pod's entry (a pod that stopped on purpose is not reported as stopped). */
  async stop(options: { remove: boolean }): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.options.calls.off('draining', this.onDraining);
    await this.writing;
    if (!options.remove) return;
    try {
      await this.options.kv.delete(this.options.podName);
    } catch (err) {
      this.options.logger.warn({ err, pod: this.options.podName }, 'could not remove the heartbeat entry');
    }
  }

  private async write(): Promise<void> {
    const heartbeat = this.snapshot();
    try {
      await this.options.kv.put(heartbeat.pod, JSON.stringify(heartbeat));
      if (this.failing) this.options.logger.info({ pod: heartbeat.pod }, 'heartbeats written again');
      this.failing = false;
    } catch (err) {
      // One line per outage, not one per beat.
      if (!this.failing) this.options.logger.warn({ err, pod: heartbeat.pod }, 'heartbeat not written; retrying every interval');
      this.failing = true;
    }
  }
}
