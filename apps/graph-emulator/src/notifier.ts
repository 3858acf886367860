import type { Logger } from 'pino';
import type { CallbackSigner } from './callback-signer';
import { EventLog } from './event-log';

export type DeliveryStatus = 'pending' | 'delivered' | 'dropped' | 'failed';

/** One notification as sent to a bot (one `commsNotifications` envelope per POST). */
export interface OutboundNotification {
  callId: string;
  tenantId: string;
  target: string;
  changeType: string;
  resourceUrl: string;
  body: unknown;
}

export interface NotificationLogEntry extends OutboundNotification {
  at: string;
  status: DeliveryStatus;
  attempts: number;
  httpStatus?: number;
  error?: string;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 5_000, timeoutMs: 10_000 };
const MAX_REDIRECTS = 3;

type Outcome =
  | { kind: 'done'; status: number }
  | { kind: 'drop'; status: number; error?: string }
  | { kind: 'retry'; status?: number; error?: string };

/**
 * Delivers notifications strictly in order per call: one POST at a time, the next only after a
 * 2xx. 5xx, 408/429 and network errors are retried with bounded exponential backoff; other 4xx
 * are logged and dropped. Each attempt carries the tenant's current bearer token (`CallbackSigner.sign`).
 */
export class Notifier {
  readonly log = new EventLog<NotificationLogEntry>();
  private readonly queues = new Map<string, NotificationLogEntry[]>();
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly signer: CallbackSigner,
    private readonly logger: Logger,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  send(notification: OutboundNotification): void {
    if (this.stopped) return;
    const entry = this.log.append({ ...notification, at: new Date().toISOString(), status: 'pending', attempts: 0 });
    const queue = this.queues.get(notification.callId) ?? [];
    queue.push(entry);
    this.queues.set(notification.callId, queue);
    if (!this.running.has(notification.callId)) {
      const run = this.drain(notification.callId).finally(() => this.running.delete(notification.callId));
      this.running.set(notification.callId, run);
    }
  }

  /** Resolves when every queued notification (of one call, or of all) has settled. */
  async idle(callId?: string): Promise<void> {
    for (;;) {
      const pending = callId ? [this.running.get(callId)] : [...this.running.values()];
      const active = pending.filter((p): p is Promise<void> => p !== undefined);
      if (active.length === 0) return;
      await Promise.all(active);
    }
  }

  /** Stops retrying and sending; queued notifications are marked dropped. */
  stop(): void {
    this.stopped = true;
  }

  private async drain(callId: string): Promise<void> {
    const queue = this.queues.get(callId) ?? [];
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      await this.deliver(entry);
    }
    this.queues.delete(callId);
  }

  private async deliver(entry: NotificationLogEntry): Promise<void> {
    while (!this.stopped && entry.attempts < this.retry.maxAttempts) {
      entry.attempts += 1;
      const outcome = await this.attempt(entry);
      if (outcome.kind === 'done') {
        Object.assign(entry, { status: 'delivered', httpStatus: outcome.status, error: undefined });
        return;
      }
      if (outcome.kind === 'drop') {
        Object.assign(entry, { status: 'dropped', httpStatus: outcome.status, error: outcome.error });
        this.logger.warn({ callId: entry.callId, target: entry.target, status: outcome.status }, 'notification refused by the bot; dropped');
        return;
      }
      Object.assign(entry, { httpStatus: outcome.status, error: outcome.error });
      if (entry.attempts < this.retry.maxAttempts) await delay(this.backoff(entry.attempts));
    }
    entry.status = this.stopped && entry.attempts < this.retry.maxAttempts ? 'dropped' : 'failed';
    this.logger.error(
      { callId: entry.callId, target: entry.target, attempts: entry.attempts, status: entry.httpStatus, error: entry.error },
      'notification not delivered',
    );
  }

  private backoff(attempt: number): number {
    return Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
  }

  private async attempt(entry: NotificationLogEntry): Promise<Outcome> {
    let target = entry.target;
    try {
      for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
        const token = await this.signer.sign(entry.tenantId);
        const response = await fetch(target, {
          method: 'POST',
          redirect: 'manual',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(entry.body),
          signal: AbortSignal.timeout(this.retry.timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        const location = response.headers.get('location');
        // A 302/307 with Location sends this notification to another deployment (region affinity).
        if ((response.status === 302 || response.status === 307) && location) {
          target = new URL(location, target).toString();
          continue;
        }
        return classify(response.status);
      }
      return { kind: 'drop', status: 0, error: `more than ${MAX_REDIRECTS} redirects` };
    } catch (error) {
      return { kind: 'retry', error: (error as Error).message };
    }
  }
}

function classify(status: number): Outcome {
  if (status >= 200 && status < 300) return { kind: 'done', status };
  if (status >= 500 || status === 408 || status === 429) return { kind: 'retry', status };
  return { kind: 'drop', status };
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
