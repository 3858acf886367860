import { headers as natsHeaders, type ConsumerMessages, type JetStreamClient, type JsMsg } from 'nats';
import { storedNotificationSchema, type NatsNames, type StoredNotification } from '@switchboard/nats-contracts';
import type { CallOrchestrator } from './call-orchestrator';
import { KeyedSerializer } from './keyed-serializer';

export interface ConsumerSettings {
  maxDeliver: number;
  /** Notifications handled at once by this replica (across calls; one at a time per call). */
  concurrency: number;
  log: (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) => void;
}

/** Redelivery delay after a failure: exponential from 1 s, capped at 30 s. */
export const redeliveryDelayMs = (deliveryCount: number): number => Math.min(30_000, 1000 * 2 ** Math.max(0, deliveryCount - 1));

/**
 * Pulls accepted notifications from the durable consumer every replica shares and applies them.
 * Settlement: ack when applied (or deliberately ignored); nak with backoff on a failure; dead-letter and ack
 * after the last delivery; dead-letter and term when a message cannot be decoded.
 */
export class NotificationConsumer {
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly serializer = new KeyedSerializer();

  constructor(
    private readonly js: JetStreamClient,
    private readonly names: NatsNames,
    private readonly orchestrator: CallOrchestrator,
    private readonly settings: ConsumerSettings,
  ) {}

  async start(): Promise<void> {
    const consumer = await this.js.consumers.get(this.names.notificationsStream, this.names.orchestratorConsumer);
    this.messages = await consumer.consume({ max_messages: this.settings.concurrency });
    const messages = this.messages;
    this.loop = (async () => {
      for await (const msg of messages) {
        const task = this.process(msg).finally(() => this.inFlight.delete(task));
        this.inFlight.add(task);
        if (this.inFlight.size >= this.settings.concurrency) await Promise.race(this.inFlight);
      }
    })();
  }

  /** Stops pulling and waits for the notifications being applied. */
  async stop(): Promise<void> {
    await this.messages?.close();
    await this.loop?.catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
  }

  private async process(msg: JsMsg): Promise<void> {
    const callId = msg.subject.slice(msg.subject.lastIndexOf('.') + 1);
    let stored: StoredNotification;
    try {
      stored = storedNotificationSchema.parse(msg.json());
    } catch (error) {
      this.settings.log('error', 'undecodable notification dead-lettered', { callId, subject: msg.subject, error: String(error) });
      await this.deadLetter(msg, `undecodable: ${(error as Error).message}`);
      msg.term();
      return;
    }
    try {
      const outcome = await this.serializer.run(callId, () => this.orchestrator.handle(callId, stored));
      if (outcome.kind === 'ignored') {
        this.settings.log('info', 'notification ignored', { callId, reason: outcome.reason, changeType: stored.notification.changeType });
      }
      msg.ack();
    } catch (error) {
      const deliveries = msg.info.redeliveryCount;
      if (deliveries >= this.settings.maxDeliver) {
        this.settings.log('error', 'notification dead-lettered after the last delivery', { callId, deliveries, error: String(error) });
        await this.deadLetter(msg, `failed ${deliveries} times: ${(error as Error).message}`);
        msg.ack();
        return;
      }
      this.settings.log('warn', 'notification will be redelivered', { callId, deliveries, error: String(error) });
      msg.nak(redeliveryDelayMs(deliveries));
    }
  }

  private async deadLetter(msg: JsMsg, reason: string): Promise<void> {
    const h = natsHeaders();
    h.set('Switchboard-Reason', reason.slice(0, 1000));
    h.set('Switchboard-Original-Subject', msg.subject);
    await this.js.publish(this.names.deadLetterSubject, msg.data, { headers: h, msgID: `dlq:${msg.info.streamSequence}` });
  }
}
