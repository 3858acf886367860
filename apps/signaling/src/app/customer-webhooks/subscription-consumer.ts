import type { ConsumerMessages, JetStreamClient, JsMsg } from 'nats';
import { retryDelayMs, type RetryOptions } from '@switchboard/graph-client';
import { parseCallEvent, type CallEvent } from '@switchboard/nats-contracts';
import type { AttemptOutcome } from './customer-webhooks.metrics';
import type { DeliveryLog, DeliveryRecord } from './delivery-log';
import { wants, type Subscription } from './subscriptions';
import type { Attempt, WebhookSender } from './webhook-sender';

export type LogFn = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) => void;

export interface SubscriptionConsumerSettings {
  stream: string;
  consumer: string;
  /** Attempts per event before it is recorded as failed. */
  maxDeliver: number;
  backoff: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>;
  log: LogFn;
  onAttempt: (subscription: string, outcome: AttemptOutcome, durationMs: number) => void;
}

/**
 * Delivers one subscription's events from its own durable consumer. The consumer allows one unacknowledged
 * message (max_ack_pending 1), so the next event is not even handed out while one waits for a retry: events reach
 * the customer in stream order, and therefore in order per call, across every replica.
 * Settlement: ack when delivered, refused (4xx) or out of attempts; nak with backoff (or Retry-After) otherwise;
 * term only for a payload that is not a call event.
 */
export class SubscriptionConsumer {
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;

  constructor(
    private readonly js: JetStreamClient,
    private readonly subscription: Subscription,
    private readonly sender: WebhookSender,
    private readonly deliveries: DeliveryLog,
    private readonly settings: SubscriptionConsumerSettings,
  ) {}

  async start(): Promise<void> {
    const consumer = await this.js.consumers.get(this.settings.stream, this.settings.consumer);
    const messages = await consumer.consume({ max_messages: 1 });
    this.messages = messages;
    this.loop = (async () => {
      for await (const msg of messages) await this.process(msg);
    })();
  }

  /** Stops pulling and waits for the attempt in flight. */
  async stop(): Promise<void> {
    await this.messages?.close();
    await this.loop?.catch(() => undefined);
  }

  private async process(msg: JsMsg): Promise<void> {
    const subscription = this.subscription.id;
    let event: CallEvent;
    try {
      event = parseCallEvent(msg.data);
    } catch (error) {
      this.settings.log('error', 'customer webhook skipped an undecodable event', { subscription, subject: msg.subject, error: String(error) });
      msg.term();
      return;
    }
    if (!wants(this.subscription, event)) {
      msg.ack();
      return;
    }
    const fields = { subscription, callId: event.callId, eventId: event.eventId, eventType: event.type };
    try {
      const previous = await this.deliveries.get(subscription, event.eventId);
      // Settled before, but the ack was lost (restart, takeover): do not send it again.
      if (previous && previous.status !== 'retrying') {
        msg.ack();
        return;
      }
      const attempt = await this.sender.send(this.subscription.url, this.subscription.secret, event);
      await this.settle(msg, event, attempt, previous, fields);
    } catch (error) {
      // The server gives up after its last delivery without a word: say so, rather than let the event vanish.
      if (msg.info.redeliveryCount >= this.settings.maxDeliver + 1) {
        this.settings.log('error', 'customer webhook delivery given up: it could not be processed on its last delivery', { ...fields, error: String(error) });
        msg.term();
        return;
      }
      this.settings.log('error', 'customer webhook delivery could not be processed; it will be retried', { ...fields, error: String(error) });
      msg.nak(this.delay(msg.info.redeliveryCount));
    }
  }

  private async settle(msg: JsMsg, event: CallEvent, attempt: Attempt, previous: DeliveryRecord | undefined, fields: Record<string, unknown>) {
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
    let settleMsg: () => void;
    let record: DeliveryRecord;
    if (result.kind === 'delivered') {
      outcome = 'delivered';
      record = { ...base, status: 'delivered', deliveredAt: now.toISOString() };
      settleMsg = () => msg.ack();
      this.settings.log('info', 'customer webhook delivered', logged);
    } else if (result.kind === 'permanent' || deliveryNumber >= this.settings.maxDeliver) {
      outcome = result.kind === 'permanent' ? 'rejected' : 'failed';
      record = { ...base, status: 'failed', lastError: result.kind === 'permanent' ? result.error : `${result.error}; gave up after ${base.attempts} attempts` };
      settleMsg = () => msg.ack();
      this.settings.log(outcome === 'rejected' ? 'warn' : 'error', `customer webhook ${outcome}`, { ...logged, error: record.lastError });
    } else {
      const delay = this.delay(deliveryNumber, result.retryAfter);
      outcome = 'retrying';
      record = { ...base, lastError: result.error, nextAttemptAt: new Date(now.getTime() + delay).toISOString() };
      settleMsg = () => msg.nak(delay);
      this.settings.log('warn', 'customer webhook will be retried', { ...logged, error: result.error, retryInMs: delay });
    }
    this.settings.onAttempt(this.subscription.id, outcome, attempt.durationMs);
    try {
      await this.deliveries.put(record);
    } catch (error) {
      // The attempt's outcome stands: settling as if the log were written avoids sending a delivered event twice.
      this.settings.log('error', 'customer webhook delivery log not updated', { ...fields, error: String(error) });
    }
    settleMsg();
  }

  private delay(deliveryNumber: number, retryAfter?: string): number {
    return retryDelayMs(deliveryNumber, retryAfter, { maxRetries: this.settings.maxDeliver, ...this.settings.backoff });
  }
}
