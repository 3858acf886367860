import { DeliverPolicy, type JetStreamClient, type JetStreamManager, type KV } from 'nats';
import type { ComplianceNames, NatsNames } from '@switchboard/nats-contracts';
import { ensureDurableConsumer, ensureStream, fileStream, isJetStreamError, JsErrorCode } from '@switchboard/jetstream';

const DEAD_LETTER_RETENTION_MS = 30 * 24 * 3600_000;
/** signaling's defaults for its call events stream. */
const EVENTS_RETENTION_MS = 7 * 24 * 3600_000;
const EVENTS_DUPLICATE_WINDOW_MS = 2 * 60_000;
/** Grants outlive any call (Graph ends calls after 24 h at most): older entries are no use to anyone. */
const GRANT_TTL_MS = 48 * 3600_000;

/**
 * The grants bucket, the dead-letter stream and the durable consumer on signaling's call events. The events
 * stream is signaling's: when this service starts first it creates it with signaling's defaults, and never changes
 * the settings of one that exists.
 */
export async function ensureGrantTopology(js: JetStreamClient, jsm: JetStreamManager, names: NatsNames, compliance: ComplianceNames, ackWaitMs: number): Promise<KV> {
  await ensureStream(jsm, fileStream(compliance.deadLetterStream, compliance.deadLetterSubject, DEAD_LETTER_RETENTION_MS));
  try {
    await jsm.streams.info(names.eventsStream);
  } catch (error) {
    if (!isJetStreamError(error, JsErrorCode.StreamNotFound)) throw error;
    await jsm.streams.add(fileStream(names.eventsStream, names.eventSubjects, EVENTS_RETENTION_MS, EVENTS_DUPLICATE_WINDOW_MS));
  }
  // A new consumer starts at new events: grants of calls that ended before this service first ran do not exist.
  await ensureDurableConsumer(jsm, { stream: names.eventsStream, name: compliance.callEventsConsumer, filterSubject: names.eventSubjects, deliverPolicy: DeliverPolicy.New, ackWaitMs, maxAckPending: 1000 });
  return js.views.kv(compliance.grantsBucket, { history: 1, ttl: GRANT_TTL_MS });
}
