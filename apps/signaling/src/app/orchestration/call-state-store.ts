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

/** Call records in JetStream KV; every write is a compare-and-set on the revision that was read. */
export class CallStateStore {
  constructor(private readonly kv: KV) {}

  async get(callId: string): Promise<StoredCall | undefined> {
    const entry = await this.kv.get(callId);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
    return { record: codec.decode(entry.value), revision: entry.revision };
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
