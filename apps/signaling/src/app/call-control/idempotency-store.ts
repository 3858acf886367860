import { createHash } from 'node:crypto';
import type { KV } from 'nats';
import { failure } from '@switchboard/api-auth';
import { isRevisionMismatch } from '@switchboard/jetstream';

/** Stored answers live this long (the bucket's TTL): a repeat within a day gets the first answer. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

/** An answer as the API gave it, replayed as is for a repeated request. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

type Entry = { fingerprint: string; state: 'pending'; startedAt: number } | { fingerprint: string; state: 'done'; response: StoredResponse };

/** The first request with a key carries on and records its answer; a repeat gets the recorded answer. */
export type IdempotencyClaim =
  | { kind: 'first'; finish: (response: StoredResponse) => Promise<void>; abandon: () => Promise<void> }
  | { kind: 'repeat'; response: StoredResponse };

const encode = (entry: Entry) => new TextEncoder().encode(JSON.stringify(entry));
const decode = (data: Uint8Array) => JSON.parse(new TextDecoder().decode(data)) as Entry;

/**
 * First answers to requests with an idempotency key, in a JetStream KV bucket keyed by (caller, key). A request in
 * progress holds a pending entry; one whose holder died (pending longer than `pendingTimeoutMs`) may be taken over.
 */
export class IdempotencyStore {
  constructor(
    private readonly kv: KV,
    private readonly options: { pendingTimeoutMs: number } = { pendingTimeoutMs: 60_000 },
  ) {}

  /** Throws a 422 failure when the key was used for a different request, 409 while the first is still running. */
  async claim(scope: string, key: string, fingerprint: string): Promise<IdempotencyClaim> {
    const id = createHash('sha256').update(`${scope}\n${key}`).digest('hex');
    for (let attempt = 0; attempt < 3; attempt++) {
      const pending: Entry = { fingerprint, state: 'pending', startedAt: Date.now() };
      try {
        return this.first(id, await this.kv.create(id, encode(pending)), fingerprint);
      } catch (error) {
        if (!isRevisionMismatch(error)) throw error;
      }
      const current = await this.kv.get(id);
      if (!current || current.operation !== 'PUT') continue;
      const stored = decode(current.value);
      if (stored.fingerprint !== fingerprint) {
        throw failure(422, 'IdempotencyKeyReused', `Idempotency-Key "${key}" was first used for a different request; use a new key for a new request`);
      }
      if (stored.state === 'done') return { kind: 'repeat', response: stored.response };
      if (Date.now() - stored.startedAt < this.options.pendingTimeoutMs) {
        throw failure(409, 'RequestInProgress', `a request with Idempotency-Key "${key}" is still being processed; repeat it shortly`);
      }
      try {
        return this.first(id, await this.kv.update(id, encode(pending), current.revision), fingerprint);
      } catch (error) {
        if (!isRevisionMismatch(error)) throw error;
      }
    }
    throw failure(409, 'RequestInProgress', `a request with Idempotency-Key "${key}" is being processed concurrently; repeat it shortly`);
  }

  private first(id: string, revision: number, fingerprint: string): IdempotencyClaim {
    return {
      kind: 'first',
      finish: async (response) => {
        await this.kv.update(id, encode({ fingerprint, state: 'done', response }), revision);
      },
      abandon: async () => {
        await this.kv.delete(id, { previousSeq: revision }).catch(() => undefined);
      },
    };
  }
}

/** Same action, ids and body (whatever the key order) give the same fingerprint. */
export function requestFingerprint(request: unknown): string {
  return createHash('sha256').update(stableJson(request)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
