import { AckPolicy, DeliverPolicy, nanos, type JetStreamClient, type JetStreamManager, type KV } from 'nats';
import { z } from 'zod';

export const deliveryStatuses = ['retrying', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** One entry per (subscription, event): what happened to its delivery so far. Never holds a secret. */
export const deliveryRecordSchema = z.object({
  subscription: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  callId: z.string(),
  tenantId: z.string().optional(),
  status: z.enum(deliveryStatuses),
  attempts: z.number().int().nonnegative(),
  lastStatusCode: z.number().int().optional(),
  lastError: z.string().optional(),
  /** `Switchboard-Delivery` of the last attempt. */
  lastDeliveryId: z.string(),
  firstAttemptAt: z.iso.datetime(),
  lastAttemptAt: z.iso.datetime(),
  nextAttemptAt: z.iso.datetime().optional(),
  deliveredAt: z.iso.datetime().optional(),
});
export type DeliveryRecord = z.infer<typeof deliveryRecordSchema>;

export interface DeliveryFilter {
  subscription?: string;
  callId?: string;
  status?: DeliveryStatus;
  limit: number;
}

export const DELIVERY_LOG_TTL_MS = 7 * 24 * 3600_000;
const READ_BATCH = 500;
const READ_EXPIRES_MS = 2000;

/** Event ids are free text; base64url keeps each one a single valid KV key token. */
const keyOf = (subscription: string, eventId: string) => `${subscription}.${Buffer.from(eventId).toString('base64url')}`;

/** The delivery log in a JetStream KV bucket (history 1, entries expire with the bucket's TTL). */
export class DeliveryLog {
  constructor(
    private readonly kv: KV,
    private readonly bucket: string,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
  ) {}

  async get(subscription: string, eventId: string): Promise<DeliveryRecord | undefined> {
    const entry = await this.kv.get(keyOf(subscription, eventId));
    if (!entry || entry.operation !== 'PUT') return undefined;
    return deliveryRecordSchema.parse(entry.json());
  }

  async put(record: DeliveryRecord): Promise<void> {
    await this.kv.put(keyOf(record.subscription, record.eventId), JSON.stringify(record));
  }

  /** Matching entries, most recent attempt first. Reads every entry of the subscription (or all): fine for a 7-day log. */
  async list(filter: DeliveryFilter): Promise<DeliveryRecord[]> {
    const records: DeliveryRecord[] = [];
    for (const record of await this.latestEntries(filter.subscription ? `${filter.subscription}.>` : '>')) {
      if (filter.callId && record.callId !== filter.callId) continue;
      if (filter.status && record.status !== filter.status) continue;
      records.push(record);
    }
    return records.sort((a, b) => b.lastAttemptAt.localeCompare(a.lastAttemptAt)).slice(0, filter.limit);
  }

  /**
   * The current value of every key under `keys`, read through a short-lived consumer (last message per subject).
   * Its pending count at creation says exactly how many to read, so the read ends even while deliveries write
   * (kv.keys() can wait forever on a bucket that changes during the listing).
   */
  private async latestEntries(keys: string): Promise<DeliveryRecord[]> {
    const stream = `KV_${this.bucket}`;
    const info = await this.jsm.consumers.add(stream, {
      ack_policy: AckPolicy.None,
      deliver_policy: DeliverPolicy.LastPerSubject,
      filter_subject: `$KV.${this.bucket}.${keys}`,
      inactive_threshold: nanos(30_000),
      mem_storage: true,
    });
    const bySubject = new Map<string, DeliveryRecord>();
    try {
      const consumer = await this.js.consumers.get(stream, info.name);
      let remaining = info.num_pending;
      while (remaining > 0) {
        let received = 0;
        for await (const msg of await consumer.fetch({ max_messages: Math.min(remaining, READ_BATCH), expires: READ_EXPIRES_MS })) {
          received++;
          const operation = msg.headers?.get('KV-Operation');
          if (operation === 'DEL' || operation === 'PURGE') bySubject.delete(msg.subject);
          else bySubject.set(msg.subject, deliveryRecordSchema.parse(msg.json()));
        }
        if (received === 0) break;
        remaining -= received;
      }
    } finally {
      await this.jsm.consumers.delete(stream, info.name).catch(() => undefined);
    }
    return [...bySubject.values()];
  }
}
