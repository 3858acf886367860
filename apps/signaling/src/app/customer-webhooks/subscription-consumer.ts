import type { JetStreamClient, JsMsg } from 'nats';
import { parseRetryAfter } from '@switchboard/graph-client';
import { parseCallEvent, type CallEvent } from '@switchboard/nats-contracts';
import { backoffDelayMs, PullWorker, type BackoffOptions, type Decision, type LogFn, type PullWorkerObserver } from '@switchboard/jetstream';
import type { AttemptOutcome } from './customer-webhooks.metrics';
import type { DeliveryLog, DeliveryRecord } from './delivery-log';
import { wants, type Subscription } from './subscriptions';
import type { Attempt, WebhookSender } from './webhook-sender';

export type { LogFn } from '@switchboard/jetstream';

export interface SubscriptionConsumerSettings {
  stream: string;
  consumer: string;
  /** Attempts per event before it is recorded as failed. */
  maxDeliver: number;
  backoff: BackoffOptions;
  /** Where an event goes when it cannot be processed on its last delivery, or cannot be decoded. */
  deadLetterSubject: string;
  log: LogFn;
  onAttempt: (subscription: string, outcome: AttemptOutcome, durationMs: number) => void;
  observer?: PullWorkerObserver;
}

/**
 * Delivers one subscription's events from its own durable consumer, on the shared JetStream worker. The consumer
 * allows one unacknowledged message (max_ack_pending 1), so the next event is not even handed out while one waits
 * for a retry: events reach the customer in stream order, and therefore in order per call, across every replica.
 * Settlement: ack when delivered, refused (4xx) or out of attempts (recorded as failed in the delivery log); retry
 * with backoff (or Retry-After) otherwise. One delivery beyond the attempts lets a replica lost during the last
 * attempt still record it; an event that cannot be processed even then is dead-lettered, one that is not a call
 * event is dead-lettered and termed.
 */
export class SubscriptionConsumer {
  private readonly worker: PullWorker<CallEvent>;

  constructor(
    js: JetStreamClient,
    private readonly subscription: Subscription,
    private readonly sender: WebhookSender,
    private readonly deliveries: DeliveryLog,
    private readonly settings: SubscriptionConsumerSettings,
  ) {
    this.worker = new PullWorker(js, {
      stream: settings.stream,
      consumer: settings.consumer,
      decode: (msg) => parseCallEvent(msg.data),
      handle: (event, msg) => this.process(event, msg),
      maxDeliver: settings.maxDeliver + 1,
      concurrency: 1,
      backoff: settings.backoff,
      deadLetter: { subject: settings.deadLetterSubject },
      log: settings.log,
      describe: () => ({ subscription: subscription.id }),
      observer: settings.observer,
    });
  }

  start(): Promise<void> {
    return this.worker.start();
  }

  /** Stops pulling and waits for the attempt in flight. */
  stop(): Promise<void> {
    return this.worker.stop();
  }

  private async process(event: CallEvent, msg: JsMsg): Promise<Decision> {
    if (!wants(this.subscription, event)) return { kind: 'done' };
    const subscription = this.subscription.id;
    const fields = { subscription, callId: event.callId, eventId: event.eventId, eventType: event.type };
    const previous = await this.deliveries.get(subscription, event.eventId);
    // Settled before, but the ack was lost (restart, takeover): do not send it again.
    if (previous && previous.status !== 'retrying') return { kind: 'done' };
    const attempt = await this.sender.send(this.subscription.url, this.subscription.secret, event);
    return this.settle(msg, event, attempt, previous, fields);
  }

  private async settle(msg: JsMsg, event: CallEvent, attempt: Attempt, previous: DeliveryRecord | undefined, fields: Record<string, unknown>): Promise<Decision> {
    const { result } = attempt;
    const now = new Date();
    const deliveryNumber = msg.info.redeliveryCount;
    const base: DeliveryRecord = {
      subscription: this.subscription.id,
      eventId: event.eventId,
      eventType: event.type,
      callId: event.callId,
      ...(event.tenantId ? { tenantId: event.tenantId } : {}),
      status: 'retrying',
      attempts: (previous?.attempts ?? 0) + 1,
      ...(result.status !== undefined ? { lastStatusCode: result.status } : {}),
      lastDeliveryId: attempt.deliveryId,
      firstAttemptAt: previous?.firstAttemptAt ?? now.toISOString(),
      lastAttemptAt: now.toISOString(),
    };
    const logged = { ...fields, attempt: base.attempts, statusCode: result.status, durationMs: Math.round(attempt.durationMs) };

    let outcome: AttemptOutcome;
    let decision: Decision;
    let record: DeliveryRecord;
    if (result.kind === 'delivered') {
      outcome = 'delivered';
      record = { ...base, status: 'delivered', deliveredAt: now.toISOString() };
      decision = { kind: 'done' };
      this.settings.log('info', 'customer webhook delivered', logged);
    } else if (result.kind === 'permanent' || deliveryNumber >= this.settings.maxDeliver) {
      outcome = result.kind === 'permanent' ? 'rejected' : 'failed';
      record = { ...base, status: 'failed', lastError: result.kind === 'permanent' ? result.error : `${result.error}; gave up after ${base.attempts} attempts` };
      decision = { kind: 'done' };
      this.settings.log(outcome === 'rejected' ? 'warn' : 'error', `customer webhook ${outcome}`, { ...logged, error: record.lastError });
    } else {
      const delayMs = this.retryDelayMs(deliveryNumber, result.retryAfter, now.getTime());
      outcome = 'retrying';
      record = { ...base, lastError: result.error, nextAttemptAt: new Date(now.getTime() + delayMs).toISOString() };
      decision = { kind: 'retry', reason: result.error, delayMs };
      this.settings.log('warn', 'customer webhook will be retried', { ...logged, error: result.error, retryInMs: delayMs });
    }
    this.settings.onAttempt(this.subscription.id, outcome, attempt.durationMs);
    try {
      await this.deliveries.put(record);
    } catch (error) {
      // The attempt's outcome stands: settling as if the log were written avoids sending a delivered event twice.
      this.settings.log('error', 'customer webhook delivery log not updated', { ...fields, error: String(error) });
    }
    return decision;
  }

  /** The customer's Retry-After when given (capped), else the worker's backoff. */
  private retryDelayMs(deliveryNumber: number, retryAfter: string | undefined, now: number): number {
    const asked = parseRetryAfter(retryAfter, now);
    return asked !== undefined ? Math.min(asked, this.settings.backoff.maxMs) : backoffDelayMs(deliveryNumber, this.settings.backoff);
  }
}
