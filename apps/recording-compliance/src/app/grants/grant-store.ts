import type { KV } from 'nats';
import { callIdToken } from '@switchboard/nats-contracts';
import { isRevisionMismatch } from '@switchboard/jetstream';
import type { GrantRecord } from './grant-record';

const MAX_ROUNDS = 20;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What a change decides: the record to write, or a result that leaves the entry as it is. */
export type GrantChange<R> = { write: GrantRecord; result: R } | { keep: R };

/**
 * Grants in a JetStream KV bucket, one entry per call. Every change is a compare-and-set on the revision read, so
 * replicas of the service (and the lease sweeper) never overwrite each other's decisions.
 */
export class GrantStore {
  constructor(private readonly kv: KV) {}

  async get(callId: string): Promise<GrantRecord | undefined> {
    return (await this.read(callIdToken(callId)))?.grant;
  }

  /** Reads, decides and writes again on conflict; `change` sees the current grant (undefined when none). */
  async change<R>(callId: string, change: (current: GrantRecord | undefined) => GrantChange<R>): Promise<R> {
    const key = callIdToken(callId);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const current = await this.read(key);
      const decision = change(current?.grant);
      if ('keep' in decision) return decision.keep;
      try {
        const data = encoder.encode(JSON.stringify(decision.write));
        if (current) await this.kv.update(key, data, current.revision);
        else await this.kv.create(key, data);
        return decision.result;
      } catch (error) {
        if (!isRevisionMismatch(error)) throw error;
      }
    }
    throw new Error(`grant of call ${callId}: gave up after ${MAX_ROUNDS} concurrent changes`);
  }

  /** Every grant in the bucket (the lease sweeper's view). */
  async all(): Promise<GrantRecord[]> {
    const keys: string[] = [];
    for await (const key of await this.kv.keys()) keys.push(key);
    const grants = await Promise.all(keys.map(async (key) => (await this.read(key))?.grant));
    return grants.filter((g): g is GrantRecord => g !== undefined);
  }

  private async read(key: string): Promise<{ grant: GrantRecord; revision: number } | undefined> {
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
    return { grant: JSON.parse(decoder.decode(entry.value)) as GrantRecord, revision: entry.revision };
  }
}
