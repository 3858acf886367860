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

/** Creates or updates the streams and the shared durable consumers signaling relies on (the call-state bucket: JetStreamModule). */
export async function ensureTopology(jsm: JetStreamManager, names: NatsNames, settings: TopologySettings): Promise<void> {
  const window = settings.duplicateWindowMs;
  await upsertStream(jsm, { ...fileStream(names.notificationsStream, names.notificationSubjects, settings.notificationRetentionMs, window), discard: DiscardPolicy.Old });
  await upsertStream(jsm, fileStream(names.deadLetterStream, names.deadLetterSubject, settings.notificationRetentionMs));
  await upsertStream(jsm, fileStream(names.eventsStream, names.eventSubjects, settings.notificationRetentionMs, window));
  await upsertStream(jsm, fileStream(names.inputsStream, names.inputSubjects, settings.callStateTtlMs, window));
  await upsertConsumer(jsm, names.notificationsStream, names.orchestratorConsumer, names.notificationSubjects, settings.ackWaitMs, settings.maxDeliver);
  await upsertConsumer(jsm, names.inputsStream, names.inputsConsumer, names.inputSubjects, settings.ackWaitMs, settings.inputsMaxDeliver);
}

/** A file-backed stream with limits retention; a duplicate window drops republished message ids. */
function fileStream(name: string, subject: string, maxAgeMs: number, duplicateWindowMs?: number): Partial<StreamConfig> & { name: string } {
  return {
    name,
    subjects: [subject],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: nanos(maxAgeMs),
    ...(duplicateWindowMs ? { duplicate_window: nanos(duplicateWindowMs) } : {}),
  };
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
