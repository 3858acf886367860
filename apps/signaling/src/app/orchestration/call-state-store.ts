import type { KV } from 'nats';
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

/** Call records in JetStream KV; every write is a compare-and-set on the revision that was read. */
export class CallStateStore {
  constructor(private readonly kv: KV) {}

  async get(callId: string): Promise<StoredCall | undefined> {
    const entry = await this.kv.get(callId);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
    return { record: codec.decode(entry.value), revision: entry.revision };
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
      return revision === undefined
        ? await this.kv.create(record.callId, codec.encode(record))
        : await this.kv.update(record.callId, codec.encode(record), revision);
    } catch (error) {
      if (isRevisionMismatch(error)) throw new RevisionConflict(`call ${record.callId} changed concurrently`);
      throw error;
    }
  }
}

/** JetStream answers a failed CAS with "wrong last sequence" (10071); create on an existing key the same way. */
function isRevisionMismatch(error: unknown): boolean {
  const e = error as { api_error?: { err_code?: number }; message?: string };
  return e?.api_error?.err_code === 10071 || /wrong last sequence|key exists/i.test(e?.message ?? '');
}
