import type { KV, KvOptions, NatsConnection } from 'nats';
import { isRevisionMismatch, JetStreamPipeline } from '@switchboard/jetstream';
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

/** The key of the placement mark: `_` is never part of a Graph call id, so no call's record can take it. */
const PLACEMENT_MARK = '_placing';

/**
 * Call records in JetStream KV; every write is a compare-and-set on the revision that was read. The last record this
 * replica read or wrote for a call is kept (`recent`): a caller may decide from it instead of reading, provided it
 * trusts the decision only once a compare-and-set on that revision succeeded (nobody wrote since).
 * Reads and writes of single records go through the replica's `JetStreamPipeline` (a direct get of the key's last
 * message; a publication with the expected last sequence), as `kv.get`/`kv.update` do, minus their per-request costs.
 */
export class CallStateStore {
  private readonly recentRecords = new Map<string, StoredCall>();
  private readonly stream: string;
  /** The read of the placement mark under way, and when (local clock) it began. */
  private placementRead?: { beganAtMs: number; result: Promise<number | undefined> };

  constructor(
    private readonly kv: KV,
    private readonly bucket: string,
    private readonly pipeline: Pick<JetStreamPipeline, 'publish' | 'lastMessage'>,
  ) {
    this.stream = `KV_${bucket}`;
  }

  /** Opens the bucket (created if missing) with a pipeline of its own; a service shares its one pipeline instead. */
  static async open(nc: NatsConnection, bucket: string, options: Partial<KvOptions> = {}): Promise<CallStateStore> {
    return new CallStateStore(await nc.jetstream().views.kv(bucket, options), bucket, new JetStreamPipeline(nc));
  }

  async get(callId: string): Promise<StoredCall | undefined> {
    const entry = await this.pipeline.lastMessage(this.stream, this.subject(callId));
    const operation = entry?.headers.get('KV-Operation');
    if (!entry || (operation !== '' && operation !== 'PUT') || entry.data.length === 0) {
      this.recentRecords.delete(callId);
      return undefined;
    }
    return this.remember(callId, { record: codec.decode(entry.data), revision: entry.seq });
  }

  /**
   * Marks that a call is being placed, before Graph is asked for it: until its record is written, Graph may notify
   * about a call nobody knows yet. The mark holds no more than when it was last written (see `lastPlacementAt`).
   */
  async markPlacement(): Promise<void> {
    await this.pipeline.publish(this.subject(PLACEMENT_MARK), '{}');
  }

  /**
   * When the last placement was marked (the server's clock, ms); undefined if never, or not within the bucket's TTL.
   * A read that began at or after `notBefore` (local clock) sees every mark written before then, so callers asking at
   * once share it: under a burst of notifications for unknown calls this costs a few reads, not one each.
   */
  lastPlacementAt(notBefore: number): Promise<number | undefined> {
    if (this.placementRead && this.placementRead.beganAtMs >= notBefore) return this.placementRead.result;
    const read = { beganAtMs: Date.now(), result: this.pipeline.lastMessage(this.stream, this.subject(PLACEMENT_MARK)).then((m) => m?.storedAtMs) };
    this.placementRead = read;
    // Only answers still pending are shared; a settled one would go stale.
    const forget = () => {
      if (this.placementRead === read) this.placementRead = undefined;
    };
    read.result.then(forget, forget);
    return read.result;
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
      for await (const entry of watch) if (entry.operation === 'PUT' && entry.length > 0 && entry.key !== PLACEMENT_MARK) records.push(codec.decode(entry.value));
    })();
    await delivered;
    watch.stop();
    await reading;
    return records;
  }

  /** Writes `record` if the entry is still at `revision` (undefined: if it does not exist yet). */
  async write(record: CallRecord, revision: number | undefined): Promise<number> {
    try {
      // 0: the key holds nothing yet (a record is never deleted, only aged out with the whole entry).
      const ack = await this.pipeline.publish(this.subject(record.callId), codec.encode(record), { expectedLastSubjectSequence: revision ?? 0 });
      const written = ack.seq;
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

  private subject(callId: string): string {
    return `$KV.${this.bucket}.${callId}`;
  }

  private remember(callId: string, stored: StoredCall): StoredCall {
    this.recentRecords.delete(callId);
    this.recentRecords.set(callId, stored);
    if (this.recentRecords.size > RECENT_RECORDS) this.recentRecords.delete(this.recentRecords.keys().next().value as string);
    return stored;
  }
}
