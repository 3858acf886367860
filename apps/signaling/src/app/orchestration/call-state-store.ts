import type { KV } from 'nats';
import { isRevisionMismatch } from '@switchboard/jetstream';
import type { CallRecord } from './call-record';

export interface StoredCall {
  record: CallRecord;
  revision: number;
}

/** Another writer changed the entry since it was read: read again and re-apply. */
export class RevisionConflict extends Error {
  override readonly name = 'RevisionConflict';
}

const codec = {
  encode: (record: CallRecord) => new TextEncoder().encode(JSON.stringify(record)),
  decode: (data: Uint8Array) => JSON.parse(new TextDecoder().decode(data)) as CallRecord,
};

/** Records kept from this replica's last reads and writes: about the calls it is serving now. */
const RECENT_RECORDS = 2000;

/**
 * Call records in JetStream KV; every write is a compare-and-set on the revision that was read. The last record this
 * replica read or wrote for a call is kept (`recent`): a caller may decide from it instead of reading, provided it
 * trusts the decision only once a compare-and-set on that revision succeeded (nobody wrote since).
 */
export class CallStateStore {
  private readonly recentRecords = new Map<string, StoredCall>();

  constructor(private readonly kv: KV) {}

  async get(callId: string): Promise<StoredCall | undefined> {
    const entry = await this.kv.get(callId);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) {
      this.recentRecords.delete(callId);
      return undefined;
    }
    return this.remember(callId, { record: codec.decode(entry.value), revision: entry.revision });
  }

  /** What this replica last read or wrote for the call; possibly outdated. Treat it as read-only. */
  recent(callId: string): StoredCall | undefined {
    return this.recentRecords.get(callId);
  }

  /** Every stored call, one read each: a sweep for rare occasions (a media pod lost), not for a request's path. */
  async records(): Promise<CallRecord[]> {
    const records: CallRecord[] = [];
    let initialized: () => void = () => undefined;
    const delivered = new Promise<void>((resolve) => (initialized = resolve));
    // The watch calls initializedFn once it has delivered what the bucket held when it started (at once when empty).
    const watch = await this.kv.watch({ ignoreDeletes: true, initializedFn: () => initialized() });
    const reading = (async () => {
      for await (const entry of watch) if (entry.operation === 'PUT' && entry.length > 0) records.push(codec.decode(entry.value));
    })();
    await delivered;
    watch.stop();
    await reading;
    return records;
  }

  /** Writes `record` if the entry is still at `revision` (undefined: if it does not exist yet). */
  async write(record: CallRecord, revision: number | undefined): Promise<number> {
    try {
      const written =
        revision === undefined ? await this.kv.create(record.callId, codec.encode(record)) : await this.kv.update(record.callId, codec.encode(record), revision);
      this.remember(record.callId, { record, revision: written });
      return written;
    } catch (error) {
      if (isRevisionMismatch(error)) {
        this.recentRecords.delete(record.callId);
        throw new RevisionConflict(`call ${record.callId} changed concurrently`);
      }
      throw error;
    }
  }

  private remember(callId: string, stored: StoredCall): StoredCall {
    this.recentRecords.delete(callId);
    this.recentRecords.set(callId, stored);
    if (this.recentRecords.size > RECENT_RECORDS) this.recentRecords.delete(this.recentRecords.keys().next().value as string);
    return stored;
  }
}
