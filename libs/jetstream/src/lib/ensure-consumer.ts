import { AckPolicy, DeliverPolicy, nanos, type JetStreamManager } from 'nats';
import { JsErrorCode, isJetStreamError } from './api-errors';
import type { Ensured } from './ensure-stream';

/**
 * For consumers whose handlers hold messages (`Decision` 'hold': a nak with a delay). A held message stays unsettled
 * while it waits, a timer for minutes, so with a limit (the server's default is 1000) that many waiting messages stop
 * the delivery of every other one until some come due. What a process holds at once is bounded by its own pull
 * (`PullWorker`'s concurrency), not by this.
 */
export const UNLIMITED_ACK_PENDING = -1;

export interface DurableConsumerDefinition {
  stream: string;
  name: string;
  filterSubject: string;
  /** Where a new consumer starts; an existing one keeps its position. */
  deliverPolicy?: DeliverPolicy;
  /** How long a delivered message may stay unsettled before the server hands it out again. */
  ackWaitMs: number;
  /** Unsettled messages at once, across every process pulling from the consumer (1 keeps stream order; -1: no limit). */
  maxAckPending: number;
  /**
   * Server-side delivery limit; -1 (the default) leaves it to the pull worker, which dead-letters after its own
   * last delivery and keeps a message whose dead-letter could not be stored until it can.
   */
  maxDeliver?: number;
}

/**
 * Creates a durable pull consumer with explicit acks shared by every process (each message goes to one of them),
 * or updates the settings that may change when it exists (decided by the API's error code).
 */
export async function ensureDurableConsumer(jsm: JetStreamManager, definition: DurableConsumerDefinition): Promise<Ensured> {
  const { stream, name } = definition;
  const settings = { ack_wait: nanos(definition.ackWaitMs), max_deliver: definition.maxDeliver ?? -1, max_ack_pending: definition.maxAckPending };
  try {
    await jsm.consumers.info(stream, name);
  } catch (error) {
    if (!isJetStreamError(error, JsErrorCode.ConsumerNotFound)) throw error;
    await jsm.consumers.add(stream, {
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: definition.deliverPolicy ?? DeliverPolicy.All,
      filter_subject: definition.filterSubject,
      ...settings,
    });
    return 'created';
  }
  await jsm.consumers.update(stream, name, settings);
  return 'updated';
}
