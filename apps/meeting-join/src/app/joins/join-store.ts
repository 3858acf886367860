import type { KV } from 'nats';
import { isRevisionMismatch } from '@switchboard/jetstream';
import { callIdToken } from '@switchboard/nats-contracts';
import type { JoinRecord } from './join-record';

export interface StoredJoin {
  record: JoinRecord;
  revision: number;
}

/** Another writer changed the join since it was read: read again and re-apply. */
export class JoinConflict extends Error {
  override readonly name = 'JoinConflict';
}

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const decode = <T>(data: Uint8Array) => JSON.parse(new TextDecoder().decode(data)) as T;

const joinKey = (id: string) => `join.${id}`;
const callKey = (callId: string) => `call.${callIdToken(callId)}`;
const placingKey = (id: string) => `placing.${id}`;

/**
 * Joins in a JetStream KV bucket, every write a compare-and-set on the revision read, so two replicas never both
 * move a join; plus the index from a call to its join and the joins whose call is being placed right now.
 */
export class JoinStore {
  constructor(private readonly kv: KV) {}

  async get(id: string): Promise<StoredJoin | undefined> {
    const entry = await this.kv.get(joinKey(id));
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
    return { record: decode<JoinRecord>(entry.value), revision: entry.revision };
  }

  /** Writes `record` if the entry is still at `revision` (undefined: if it does not exist yet). */
  async write(record: JoinRecord, revision: number | undefined): Promise<number> {
    try {
      return revision === undefined ? await this.kv.create(joinKey(record.id), encode(record)) : await this.kv.update(joinKey(record.id), encode(record), revision);
    } catch (error) {
      if (isRevisionMismatch(error)) throw new JoinConflict(`join ${record.id} changed concurrently`);
      throw error;
    }
  }

  /** Reads, changes and writes a join until the write wins; `change` returns false to write nothing. */
  async update(id: string, change: (record: JoinRecord) => boolean): Promise<StoredJoin | undefined> {
    for (;;) {
      const stored = await this.get(id);
      if (!stored) return undefined;
      if (!change(stored.record)) return stored;
      try {
        return { record: stored.record, revision: await this.write(stored.record, stored.revision) };
      } catch (error) {
        if (!(error instanceof JoinConflict)) throw error;
      }
    }
  }

  async joinOfCall(callId: string): Promise<string | undefined> {
    const entry = await this.kv.get(callKey(callId));
    return entry && entry.operation === 'PUT' && entry.length > 0 ? decode<string>(entry.value) : undefined;
  }

  async indexCall(callId: string, joinId: string): Promise<void> {
    await this.kv.put(callKey(callId), encode(joinId));
  }

  /** Marks a join whose call is being placed: a call event that arrives before the index is written is looked at again. */
  async placing(joinId: string, on: boolean): Promise<void> {
    if (on) await this.kv.put(placingKey(joinId), encode(Date.now()));
    else await this.kv.delete(placingKey(joinId));
  }

  async anyPlacing(): Promise<boolean> {
    let found = false;
    for await (const _key of await this.kv.keys('placing.>')) found = true;
    return found;
  }
}
