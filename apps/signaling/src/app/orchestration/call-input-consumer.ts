import { headers as natsHeaders, type ConsumerMessages, type JetStreamClient, type JsMsg } from 'nats';
import { callInputSchema, storedNotificationSchema, type NatsNames } from '@switchboard/nats-contracts';
import type { CallOrchestrator, OrchestratorInput } from './call-orchestrator';
import type { KeyedSerializer } from './keyed-serializer';
import type { InputOutcome, OrchestrationObserver } from './orchestration.metrics';

export interface ConsumerSettings {
  maxDeliver: number;
  /** Messages handled at once by this replica (across calls; one at a time per call). */
  concurrency: number;
  log: (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) => void;
  observer?: OrchestrationObserver;
}

/** Where a consumer reads and how it decodes what it reads. */
export interface InputSource {
  stream: string;
  consumer: string;
  decode(msg: JsMsg): OrchestratorInput;
}

export const notificationSource = (names: NatsNames): InputSource => ({
  stream: names.notificationsStream,
  consumer: names.orchestratorConsumer,
  decode: (msg) => ({ kind: 'notification', stored: storedNotificationSchema.parse(msg.json()) }),
});

export const scheduledInputSource = (names: NatsNames): InputSource => ({
  stream: names.inputsStream,
  consumer: names.inputsConsumer,
  decode: (msg) => callInputSchema.parse(msg.json()),
});

const UNKNOWN_CALL_GRACE_MS = 5000;
const UNKNOWN_CALL_RETRY_MS = 1000;

/** Redelivery delay after a failure: exponential from 1 s, capped at 30 s. */
export const redeliveryDelayMs = (deliveryCount: number): number => Math.min(30_000, 1000 * 2 ** Math.max(0, deliveryCount - 1));

/**
 * Pulls a call-input stream through the durable consumer every replica shares and applies each message.
 * Settlement: ack when applied (or deliberately ignored); dead-letter with the reason, then ack, when a stored
 * notification cannot be interpreted; nak with backoff on a failure (also when that dead-letter publish fails);
 * dead-letter and ack after the last delivery; dead-letter and term when a message cannot be decoded. A timer that
 * is not due yet is held back with a nak delayed until it is.
 */
export class CallInputConsumer {
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly js: JetStreamClient,
    private readonly names: NatsNames,
    private readonly source: InputSource,
    private readonly orchestrator: CallOrchestrator,
    /** Shared by all consumers of a replica, so a call's inputs from every stream apply one at a time. */
    private readonly serializer: KeyedSerializer,
    private readonly settings: ConsumerSettings,
  ) {}

  async start(): Promise<void> {
    const consumer = await this.js.consumers.get(this.source.stream, this.source.consumer);
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

  /** Stops pulling and waits for the messages being applied. */
  async stop(): Promise<void> {
    await this.messages?.close();
    await this.loop?.catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
  }

  private async process(msg: JsMsg): Promise<void> {
    const outcome = await this.settle(msg);
    this.settings.observer?.input(this.source.stream, outcome);
  }

  private async settle(msg: JsMsg): Promise<InputOutcome> {
    const callId = msg.subject.slice(msg.subject.lastIndexOf('.') + 1);
    let input: OrchestratorInput;
    try {
      input = this.source.decode(msg);
    } catch (error) {
      this.settings.log('error', 'undecodable call input dead-lettered', { callId, subject: msg.subject, error: String(error) });
      await this.deadLetter(msg, `undecodable: ${(error as Error).message}`);
      msg.term();
      return 'dead-lettered';
    }
    if (input.kind === 'timer' && input.dueAt > Date.now()) {
      msg.nak(input.dueAt - Date.now());
      return 'held';
    }
    try {
      const outcome = await this.serializer.run(callId, () => this.orchestrator.handle(callId, input));
      if (outcome.kind === 'ignored' && outcome.unknownCall && this.mayBeEarly(msg)) {
        // A call the API just placed: Graph can notify before its record is written. Look again shortly.
        msg.nak(UNKNOWN_CALL_RETRY_MS);
        return 'held';
      }
      if (outcome.kind === 'uninterpretable') {
        // Never acked away: kept in the dead-letter stream with its reason. A failed publish throws, so the message is nakked.
        this.settings.log('error', 'uninterpretable notification dead-lettered', { callId, reason: outcome.reason });
        await this.deadLetter(msg, `uninterpretable: ${outcome.reason}`);
        msg.ack();
        return 'uninterpretable';
      }
      if (outcome.kind === 'ignored') this.settings.log('info', 'call input ignored', { callId, input: input.kind, reason: outcome.reason });
      msg.ack();
      return outcome.kind;
    } catch (error) {
      const deliveries = msg.info.redeliveryCount;
      if (deliveries >= this.settings.maxDeliver) {
        this.settings.log('error', 'call input dead-lettered after the last delivery', { callId, deliveries, error: String(error) });
        await this.deadLetter(msg, `failed ${deliveries} times: ${(error as Error).message}`);
        msg.ack();
        return 'dead-lettered';
      }
      this.settings.log('warn', 'call input will be redelivered', { callId, deliveries, error: String(error) });
      msg.nak(redeliveryDelayMs(deliveries));
      return 'redelivered';
    }
  }

  /**
   * On its first delivery, shortly after it was stored, an input for an unknown call may precede the record of a
   * call the API just placed (written right after Graph's 201). One more look a second later settles it, and keeps
   * inputs for calls that are really unknown from costing more than two deliveries.
   */
  private mayBeEarly(msg: JsMsg): boolean {
    const storedAtMs = Number(msg.info.timestampNanos / 1_000_000);
    return msg.info.redeliveryCount === 1 && Date.now() - storedAtMs < UNKNOWN_CALL_GRACE_MS;
  }

  private async deadLetter(msg: JsMsg, reason: string): Promise<void> {
    const h = natsHeaders();
    h.set('Switchboard-Reason', reason.slice(0, 1000));
    h.set('Switchboard-Original-Subject', msg.subject);
    await this.js.publish(this.names.deadLetterSubject, msg.data, { headers: h, msgID: `dlq:${this.source.stream}:${msg.info.streamSequence}` });
  }
}
