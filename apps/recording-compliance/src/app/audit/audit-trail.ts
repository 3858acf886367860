import { AckPolicy, DeliverPolicy, nanos, type JetStreamClient, type JetStreamManager } from 'nats';
import { auditRecordSchema, type AuditQuery, type AuditRecord, type ComplianceNames } from '@switchboard/nats-contracts';
import { ensureStream, fileStream } from '@switchboard/jetstream';
import type { AuditEntry, AuditSink } from '../grants/grant-ports';

/** Audit records are kept this long by default: regulated recording keeps its trail for years. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 7 * 365;
/** A record republished for the same cause within this window (a retried handler) is stored once. */
const DUPLICATE_WINDOW_MS = 10 * 60_000;
const DEFAULT_LIMIT = 1000;
const QUERY_CONSUMER_IDLE_MS = 30_000;

/** The audit stream: file storage, limits retention, never discarding new records (old ones age out only). */
export async function ensureAuditStream(jsm: JetStreamManager, names: ComplianceNames, retentionDays: number): Promise<void> {
  await ensureStream(jsm, fileStream(names.auditStream, names.auditSubjects, retentionDays * 24 * 3600_000, DUPLICATE_WINDOW_MS));
}

/**
 * The append-only audit trail in JetStream: one subject per call, the record's id as message id, and the
 * stream's own order as the order of what happened. Read back by call or by time range.
 */
export class AuditTrail implements AuditSink {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly names: ComplianceNames,
    private readonly now: () => number = Date.now,
  ) {}

  async append(entry: AuditEntry): Promise<void> {
    const record: AuditRecord = auditRecordSchema.parse({ at: new Date(this.now()).toISOString(), ...entry });
    await this.js.publish(this.names.auditSubject(record.callId), JSON.stringify(record), { msgID: record.auditId });
  }

  /** Records of one call, or of a time range (by when they were stored), oldest first. */
  async query(query: AuditQuery): Promise<AuditRecord[]> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const to = query.to ? Date.parse(query.to) : Number.POSITIVE_INFINITY;
    // An ephemeral consumer of its own says at once how many records match, so an empty answer waits for nothing.
    const info = await this.jsm.consumers.add(this.names.auditStream, {
      filter_subject: query.callId ? this.names.auditSubject(query.callId) : this.names.auditSubjects,
      ack_policy: AckPolicy.None,
      inactive_threshold: nanos(QUERY_CONSUMER_IDLE_MS),
      ...(query.from ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: query.from } : { deliver_policy: DeliverPolicy.All }),
    });
    const records: AuditRecord[] = [];
    try {
      if (info.num_pending === 0) return records;
      const consumer = await this.js.consumers.get(this.names.auditStream, info.name);
      const messages = await consumer.fetch({ max_messages: Math.min(info.num_pending, limit), expires: QUERY_CONSUMER_IDLE_MS });
      for await (const msg of messages) {
        const record = auditRecordSchema.parse(msg.json());
        if (Date.parse(record.at) > to) break;
        records.push(record);
        if (records.length >= limit || msg.info.pending === 0) break;
      }
      return records;
    } finally {
      await this.jsm.consumers.delete(this.names.auditStream, info.name).catch(() => undefined);
    }
  }
}
