import type { KV, KvEntry } from 'nats';
import { heartbeatAgeMs, isHeartbeatStale, type MediaHeartbeat } from '@switchboard/nats-contracts';
import { parseHeartbeat } from './media-pod-directory';

export interface MediaPodWatcherOptions {
  /** How often heartbeats are checked for age: a killed pod writes nothing, and the bucket's TTL expiry is silent. */
  checkIntervalMs: number;
  /** A pod stopped: end the calls it carried. Called once per loss; a failure is logged and tried again at the next check. */
  onLost: (pod: string, reason: string) => Promise<void>;
  log: (level: 'info' | 'warn', msg: string, fields: Record<string, unknown>) => void;
  now?: () => number;
}

/**
 * Follows the media pods bucket and reports each pod that stops: its entry removed or purged, or its heartbeat
 * older than the stale limit. A pod that beats again after a loss is a new start; calls ended stay ended.
 */
export class MediaPodWatcher {
  private readonly live = new Map<string, MediaHeartbeat>();
  /** Losses whose report failed, retried at each check. */
  private readonly unreported = new Map<string, string>();
  private watch?: AsyncIterable<KvEntry> & { stop(): void };
  private timer?: NodeJS.Timeout;
  private following?: Promise<void>;

  constructor(
    private readonly kv: Pick<KV, 'watch'>,
    private readonly options: MediaPodWatcherOptions,
  ) {}

  async start(): Promise<void> {
    this.watch = await this.kv.watch();
    const watch = this.watch;
    this.following = (async () => {
      for await (const entry of watch) this.apply(entry);
    })();
    this.timer = setInterval(() => void this.check(), this.options.checkIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.watch?.stop();
    await this.following;
  }

  /** Pods currently beating (for tests and diagnostics). */
  pods(): string[] {
    return [...this.live.keys()];
  }

  private apply(entry: KvEntry): void {
    if (entry.operation === 'PUT') {
      const parsed = parseHeartbeat(entry.value);
      if (!parsed.ok) {
        this.options.log('warn', 'media pod heartbeat unreadable', { pod: entry.key, problem: parsed.problem });
        return;
      }
      this.live.set(entry.key, parsed.heartbeat);
      return;
    }
    if (this.live.delete(entry.key)) this.lost(entry.key, 'the pod removed its heartbeat (it stopped)');
  }

  /** Reports pods whose heartbeat is too old, and retries reports that failed. */
  async check(): Promise<void> {
    const now = this.options.now?.() ?? Date.now();
    for (const [pod, heartbeat] of this.live) {
      if (!isHeartbeatStale(heartbeat, now)) continue;
      this.live.delete(pod);
      this.lost(pod, `no heartbeat from the pod for ${Math.round(heartbeatAgeMs(heartbeat, now))} ms`);
    }
    await Promise.all([...this.unreported].map(([pod, reason]) => this.report(pod, reason)));
  }

  private lost(pod: string, reason: string): void {
    this.options.log('warn', 'media pod lost', { pod, reason });
    void this.report(pod, reason);
  }

  private async report(pod: string, reason: string): Promise<void> {
    this.unreported.delete(pod);
    try {
      await this.options.onLost(pod, reason);
    } catch (error) {
      this.unreported.set(pod, reason);
      this.options.log('warn', 'could not end the calls of a lost media pod; retrying', { pod, error: (error as Error).message });
    }
  }
}
