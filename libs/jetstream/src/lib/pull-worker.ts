import type { ConsumerMessages, JetStreamClient, JsMsg } from 'nats';
import { defaultBackoff, backoffDelayMs, type BackoffOptions } from './backoff';
import { publishDeadLetter, type DeadLetterTarget } from './dead-letter';
import { errorText, type LogFn } from './log';
import { settlementFor, type Decision, type Finding, type Settlement } from './settlement';
import { TurnBatch } from './turn-batch';

/**
 * How a message was settled. `dead-letter-failed`: the dead-letter could not be stored, so the message was nak'ed
 * and comes back; nothing is acked away.
 */
export type WorkerOutcome = 'acked' | 'retried' | 'held' | 'dead-lettered' | 'terminated' | 'dead-letter-failed';

export interface PullWorkerObserver {
  settled(stream: string, outcome: WorkerOutcome, decision: Decision | Finding, consumer: string): void;
}

export interface PullWorkerOptions<T> {
  stream: string;
  consumer: string;
  /** Turns a message into the handler's input; a throw means undecodable (dead-letter, then term). */
  decode(msg: JsMsg): T;
  /** Decides what becomes of the message; a throw counts as a transient failure. */
  handle(value: T, msg: JsMsg): Promise<Decision>;
  /** Deliveries a message gets, holds included; a failure on the last one dead-letters it. */
  maxDeliver: number;
  /** Messages handled at once by this process. */
  concurrency?: number;
  backoff?: BackoffOptions;
  deadLetter: DeadLetterTarget;
  log: LogFn;
  observer?: PullWorkerObserver;
  /** Fields for the log lines about a message (e.g. its callId). */
  describe?(msg: JsMsg): Record<string, unknown>;
}

/**
 * Pulls from a durable consumer with bounded concurrency and settles every message by one policy (`settlementFor`).
 * Nothing a handler or the server does can reject out of the loop: handler exceptions are failures to retry, and a
 * dead-letter that cannot be stored leaves the message un-acked (nak'ed, logged, counted) so it comes back.
 */
export class PullWorker<T> {
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private stopping = false;
  private readonly inFlight = new Set<Promise<void>>();
  /** Acks, naks and terms go out together once per turn (see `TurnBatch`). */
  private readonly settlements = new TurnBatch();

  constructor(
    private readonly js: JetStreamClient,
    private readonly options: PullWorkerOptions<T>,
  ) {}

  get concurrency(): number {
    return Math.max(1, this.options.concurrency ?? 1);
  }

  async start(): Promise<void> {
    const consumer = await this.js.consumers.get(this.options.stream, this.options.consumer);
    const messages = await consumer.consume({ max_messages: this.concurrency });
    this.messages = messages;
    this.loop = this.pull(messages);
  }

  /** Stops pulling and waits for the messages being handled to be settled. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.messages?.close()?.catch(() => undefined);
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    await this.settlements.drained();
  }

  private async pull(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const msg of messages) {
        const task = this.process(msg).finally(() => this.inFlight.delete(task));
        this.inFlight.add(task);
        if (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
      }
    } catch (error) {
      this.options.log('error', 'jetstream pull loop failed', { ...this.where(), error: errorText(error) });
      return;
    }
    if (!this.stopping) this.options.log('error', 'jetstream pull loop ended unexpectedly', this.where());
  }

  /** Never rejects. */
  private async process(msg: JsMsg): Promise<void> {
    // Built only when something is logged: most messages are settled without a word.
    const fields = () => ({ ...this.where(), subject: msg.subject, ...this.describe(msg) });
    try {
      const deliveries = msg.info.redeliveryCount;
      const outcome = await this.decide(msg, deliveries);
      const settlement = settlementFor(outcome, deliveries, { maxDeliver: this.options.maxDeliver, backoff: this.backoff });
      const settled = await this.apply(msg, settlement, deliveries, fields);
      this.logSettled(settled, outcome, deliveries, settlement, fields);
      this.options.observer?.settled(this.options.stream, settled, outcome, this.options.consumer);
    } catch (error) {
      // Only settling itself can fail here (the connection closed): the server redelivers after the ack wait.
      this.options.log('error', 'jetstream message not settled; it will be redelivered', { ...fields(), error: errorText(error) });
    }
  }

  private async decide(msg: JsMsg, deliveries: number): Promise<Decision | Finding> {
    let value: T;
    try {
      value = this.options.decode(msg);
    } catch (error) {
      return { kind: 'undecodable', reason: errorText(error) };
    }
    if (deliveries > this.options.maxDeliver) return { kind: 'exhausted', deliveries };
    try {
      return await this.options.handle(value, msg);
    } catch (error) {
      return { kind: 'retry', reason: errorText(error) };
    }
  }

  private async apply(msg: JsMsg, settlement: Settlement, deliveries: number, fields: () => Record<string, unknown>): Promise<WorkerOutcome> {
    switch (settlement.kind) {
      case 'ack':
        this.settle(msg, fields, () => msg.ack());
        return 'acked';
      case 'nak':
        this.settle(msg, fields, () => msg.nak(settlement.delayMs));
        return settlement.held ? 'held' : 'retried';
      case 'dead-letter':
        try {
          await publishDeadLetter(this.js, this.options.deadLetter, msg, settlement.reason);
        } catch (error) {
          const delayMs = backoffDelayMs(deliveries, this.backoff);
          this.settle(msg, fields, () => msg.nak(delayMs));
          this.options.log('error', 'dead-letter not stored; the message is kept and will be redelivered', {
            ...fields(),
            deliveries,
            reason: settlement.reason,
            retryInMs: delayMs,
            error: errorText(error),
          });
          return 'dead-letter-failed';
        }
        if (settlement.then === 'term') {
          this.settle(msg, fields, () => msg.term());
          return 'terminated';
        }
        this.settle(msg, fields, () => msg.ack());
        return 'dead-lettered';
    }
  }

  /** Sends the settlement with the others of this turn. */
  private settle(msg: JsMsg, fields: () => Record<string, unknown>, send: () => void): void {
    this.settlements.defer(() => {
      try {
        send();
      } catch (error) {
        // Only a closed connection fails it: the server redelivers after the ack wait.
        this.options.log('error', 'jetstream message not settled; it will be redelivered', { ...fields(), error: errorText(error) });
      }
    });
  }

  private logSettled(settled: WorkerOutcome, outcome: Decision | Finding, deliveries: number, settlement: Settlement, fields: () => Record<string, unknown>): void {
    if (settled === 'dead-lettered' || settled === 'terminated') {
      const reason = settlement.kind === 'dead-letter' ? settlement.reason : undefined;
      this.options.log('error', 'jetstream message dead-lettered', { ...fields(), deliveries, reason });
    } else if (settled === 'retried' && outcome.kind === 'retry') {
      const retryInMs = settlement.kind === 'nak' ? settlement.delayMs : undefined;
      this.options.log('warn', 'jetstream message will be redelivered', { ...fields(), deliveries, retryInMs, error: outcome.reason });
    }
  }

  private get backoff(): BackoffOptions {
    return this.options.backoff ?? defaultBackoff;
  }

  private where(): Record<string, unknown> {
    return { stream: this.options.stream, consumer: this.options.consumer };
  }

  private describe(msg: JsMsg): Record<string, unknown> {
    try {
      return this.options.describe?.(msg) ?? {};
    } catch {
      return {};
    }
  }
}
