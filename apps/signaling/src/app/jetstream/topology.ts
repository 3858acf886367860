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
  callStateTtlMs: number;
}

export const defaultTopology: TopologySettings = {
  notificationRetentionMs: 7 * 24 * 3600_000,
  duplicateWindowMs: 2 * 60_000,
  ackWaitMs: 30_000,
  maxDeliver: 10,
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
  const consumer = {
    durable_name: names.orchestratorConsumer,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: names.notificationSubjects,
    ack_wait: nanos(settings.ackWaitMs),
    max_deliver: settings.maxDeliver,
    max_ack_pending: 1000,
  };
  try {
    await jsm.consumers.info(names.notificationsStream, names.orchestratorConsumer);
    await jsm.consumers.update(names.notificationsStream, names.orchestratorConsumer, {
      ack_wait: consumer.ack_wait,
      max_deliver: consumer.max_deliver,
      max_ack_pending: consumer.max_ack_pending,
    });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.consumers.add(names.notificationsStream, consumer);
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
