import { AckPolicy, DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType, nanos, type JetStreamManager, type StreamConfig } from 'nats';
import type { NatsNames } from '@switchboard/nats-contracts';

export interface TopologySettings {
  /** How long accepted notifications stay in the stream (replay, audit). */
  notificationRetentionMs: number;
  /** Republishing the same notification within this window is dropped (Graph retries, duplicate batches). */
  duplicateWindowMs: number;
  /** Redeliveries of an unacknowledged notification wait this long. Keep it above the orchestrator's claim lease. */
  ackWaitMs: number;
  maxDeliver: number;
  /** Deliveries of a scheduled input: a timer is held back (nak with delay) until due, which counts as one. */
  inputsMaxDeliver: number;
  callStateTtlMs: number;
}

export const defaultTopology: TopologySettings = {
  notificationRetentionMs: 7 * 24 * 3600_000,
  duplicateWindowMs: 2 * 60_000,
  ackWaitMs: 30_000,
  maxDeliver: 10,
  inputsMaxDeliver: 50,
  callStateTtlMs: 48 * 3600_000,
};

/** Creates or updates the streams, the shared durable consumer and the call-state bucket signaling relies on. */
export async function ensureTopology(jsm: JetStreamManager, names: NatsNames, settings: TopologySettings): Promise<void> {
  await upsertStream(jsm, {
    name: names.notificationsStream,
    subjects: [names.notificationSubjects],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: nanos(settings.notificationRetentionMs),
    duplicate_window: nanos(settings.duplicateWindowMs),
    discard: DiscardPolicy.Old,
  });
  await upsertStream(jsm, {
    name: names.deadLetterStream,
    subjects: [names.deadLetterSubject],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: nanos(settings.notificationRetentionMs),
  });
  await upsertStream(jsm, {
    name: names.eventsStream,
    subjects: [names.eventSubjects],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: nanos(settings.notificationRetentionMs),
    duplicate_window: nanos(settings.duplicateWindowMs),
  });
  await upsertStream(jsm, {
    name: names.inputsStream,
    subjects: [names.inputSubjects],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: nanos(settings.callStateTtlMs),
    duplicate_window: nanos(settings.duplicateWindowMs),
  });
  await upsertConsumer(jsm, names.notificationsStream, names.orchestratorConsumer, names.notificationSubjects, settings.ackWaitMs, settings.maxDeliver);
  await upsertConsumer(jsm, names.inputsStream, names.inputsConsumer, names.inputSubjects, settings.ackWaitMs, settings.inputsMaxDeliver);
}

/** A durable pull consumer shared by every replica (each message goes to one of them). */
async function upsertConsumer(jsm: JetStreamManager, stream: string, durable: string, filter: string, ackWaitMs: number, maxDeliver: number): Promise<void> {
  const settings = { ack_wait: nanos(ackWaitMs), max_deliver: maxDeliver, max_ack_pending: 1000 };
  try {
    await jsm.consumers.info(stream, durable);
    await jsm.consumers.update(stream, durable, settings);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: filter,
      ...settings,
    });
  }
}

async function upsertStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.streams.add(config);
  }
}

const isNotFound = (error: unknown): boolean => /not found/i.test((error as Error)?.message ?? '');
