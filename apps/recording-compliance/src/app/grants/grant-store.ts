import type { KV } from 'nats';
import { callIdToken } from '@switchboard/nats-contracts';
import { isRevisionMismatch } from '@switchboard/jetstream';
import type { GrantRecord } from './grant-record';

const MAX_ROUNDS = 20;
/**
 * Longest a listing of the bucket's keys may take. nats-server 2.9 can leave a key listing open for good once
 * entries have expired (nats-io/nats-server#3481); unbounded, one such listing would stall every later sweep.
 */
const LISTING_DEADLINE_MS = 10_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What a change decides: the record to write, or a result that leaves the entry as it is. */
export type GrantChange<R> = { write: GrantRecord; result: R } | { keep: R };

/**
 * Grants in a JetStream KV bucket, one entry per call. Every change is a compare-and-set on the revision read, so
 * replicas of the service (and the lease sweeper) never overwrite each other's decisions.
 */
export class GrantStore {
  constructor(
    private readonly kv: KV,
    private readonly listingDeadlineMs = LISTING_DEADLINE_MS,
  ) {}

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

  /** Every grant in the bucket (the lease sweeper's view); fails when the key listing does not end in time. */
  async all(): Promise<GrantRecord[]> {
    const listing = await this.kv.keys();
    const deadline = setTimeout(() => listing.stop(new Error(`listing the grants took longer than ${this.listingDeadlineMs} ms`)), this.listingDeadlineMs);
    const keys: string[] = [];
    try {
      for await (const key of listing) keys.push(key);
    } finally {
      clearTimeout(deadline);
    }
    const grants = await Promise.all(keys.map(async (key) => (await this.read(key))?.grant));
    return grants.filter((g): g is GrantRecord => g !== undefined);
  }

  private async read(key: string): Promise<{ grant: GrantRecord; revision: number } | undefined> {
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
    return { grant: JSON.parse(decoder.decode(entry.value)) as GrantRecord, revision: entry.revision };
  }
}
