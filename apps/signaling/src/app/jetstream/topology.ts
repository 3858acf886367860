import { DiscardPolicy, type JetStreamManager } from 'nats';
import { flowMediaEventTypes, type NatsNames } from '@switchboard/nats-contracts';
import { ensureDurableConsumer, ensureStream, fileStream, UNLIMITED_ACK_PENDING } from '@switchboard/jetstream';

export interface TopologySettings {
  /** How long accepted notifications stay in the stream (replay, audit). */
  notificationRetentionMs: number;
  /** Republishing the same notification within this window is dropped (Graph retries, duplicate batches). */
  duplicateWindowMs: number;
  /** Redeliveries of an unacknowledged notification wait this long. Keep it above the orchestrator's claim lease. */
  ackWaitMs: number;
  callStateTtlMs: number;
}

export const defaultTopology: TopologySettings = {
  notificationRetentionMs: 7 * 24 * 3600_000,
  duplicateWindowMs: 2 * 60_000,
  ackWaitMs: 30_000,
  callStateTtlMs: 48 * 3600_000,
};

/**
 * The media events consumer lets one event out at a time across replicas (the pods' order), so an event held by a
 * replica that died stops every call's events until it is handed out again: soon, since relaying takes milliseconds.
 */
const MEDIA_EVENT_ACK_WAIT_MS = 5_000;

/**
 * Creates or updates the streams and the shared durable consumers signaling relies on (the call-state bucket:
 * JetStreamModule). Delivery limits are the pull worker's (see `CallInputConsumer`), not the server's.
 */
export async function ensureTopology(jsm: JetStreamManager, names: NatsNames, settings: TopologySettings): Promise<void> {
  const window = settings.duplicateWindowMs;
  // Direct gets: the consumer looks up whether a call was notified before (see `notificationSource`).
  await ensureStream(jsm, {
    ...fileStream(names.notificationsStream, names.notificationSubjects, settings.notificationRetentionMs, window),
    discard: DiscardPolicy.Old,
    allow_direct: true,
  });
  await ensureStream(jsm, fileStream(names.deadLetterStream, names.deadLetterSubject, settings.notificationRetentionMs, window));
  await ensureStream(jsm, fileStream(names.eventsStream, names.eventSubjects, settings.notificationRetentionMs, window));
  await ensureStream(jsm, fileStream(names.inputsStream, names.inputSubjects, settings.callStateTtlMs, window));
  // Timers and early notifications are held unsettled until due (see UNLIMITED_ACK_PENDING).
  const shared = { ackWaitMs: settings.ackWaitMs, maxAckPending: UNLIMITED_ACK_PENDING };
  await ensureDurableConsumer(jsm, { stream: names.notificationsStream, name: names.orchestratorConsumer, filterSubject: names.notificationSubjects, ...shared });
  await ensureDurableConsumer(jsm, { stream: names.inputsStream, name: names.inputsConsumer, filterSubject: names.inputSubjects, ...shared });
  // The media events flows act on (not speech or speaker events): kept until relayed to their calls, in order.
  await ensureStream(jsm, fileStream(names.mediaEventsStream, flowMediaEventTypes.map((type) => names.mediaEventTypeSubjects(type)), settings.callStateTtlMs));
  await ensureDurableConsumer(jsm, {
    stream: names.mediaEventsStream,
    name: names.mediaEventsConsumer,
    filterSubject: names.mediaEventSubjects,
    ackWaitMs: Math.min(settings.ackWaitMs, MEDIA_EVENT_ACK_WAIT_MS),
    maxAckPending: 1,
  });
}
