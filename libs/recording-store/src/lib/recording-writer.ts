import { createHash, randomUUID, type Hash } from 'node:crypto';
import type { BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { recordingMetadataSchema, type RecordingMetadata } from '@switchboard/nats-contracts';
import { LeaseRefused, type Lease, type LeaseAuthority } from './lease-authority';
import type { RecordingAnnouncer } from './recording-announcer';

export interface RecordingWriterOptions {
  container: ContainerClient;
  leases: LeaseAuthority;
  announcer: RecordingAnnouncer;
  /** Who writes (a media pod, signaling): named in the audit trail. */
  recorder: string;
  /** Days a tenant's recordings are kept (a tenant without its own setting gets the default). */
  retentionDays(tenantId: string | undefined): number;
  now?: () => Date;
}

export interface RecordingDetails {
  tenantId?: string;
  participants: { id: string; displayName?: string }[];
  contentType: string;
  /** File extension of the blob, e.g. `wav`. */
  extension: string;
  /** A file recorded elsewhere and stored afterwards (Graph's recordResponse): when it was recorded. */
  recordedBetween?: { startedAt: Date; endedAt: Date };
}

const DAY_MS = 24 * 3600_000;

/** Where a call's recordings (and their metadata) live in the container. */
export const callBlobPrefix = (tenantId: string | undefined, callId: string): string => `${tenantId ?? 'no-tenant'}/${callId}/`;

/**
 * The one way recordings reach Blob storage. Nothing is written without a lease that recording-compliance says
 * holds: the lease is checked before the recording opens, before every block and before the commit, and a
 * revocation (or the recorder's own stop) ends the session at once. Blocks are staged and only the final commit
 * makes a blob, so a session that ends early leaves no recording behind.
 */
export class RecordingWriter {
  private readonly sessions = new Map<string, Set<RecordingSession>>();
  private readonly unwatch: () => void;
  private containerReady?: Promise<unknown>;

  constructor(private readonly options: RecordingWriterOptions) {
    this.unwatch = options.leases.watchEnds((grantId) => {
      for (const session of this.sessions.get(grantId) ?? []) session.end('the grant ended');
    });
  }

  async open(lease: Lease, details: RecordingDetails): Promise<RecordingSession> {
    await this.options.leases.check(lease);
    this.containerReady ??= this.options.container.createIfNotExists();
    await this.containerReady;
    const recordingId = randomUUID();
    const blobName = `${callBlobPrefix(details.tenantId, lease.callId)}${recordingId}.${details.extension}`;
    const session = new RecordingSession(lease, recordingId, details, this.options, this.options.container.getBlockBlobClient(blobName), () => this.forget(session));
    const open = this.sessions.get(lease.grantId) ?? new Set();
    open.add(session);
    this.sessions.set(lease.grantId, open);
    return session;
  }

  /** Stops following lease ends; open sessions can no longer be ended from outside. */
  close(): void {
    this.unwatch();
  }

  private forget(session: RecordingSession): void {
    const open = this.sessions.get(session.lease.grantId);
    open?.delete(session);
    if (open?.size === 0) this.sessions.delete(session.lease.grantId);
  }
}

/** One recording being written. Not for concurrent writes: await each write before the next. */
export class RecordingSession {
  private readonly hash: Hash = createHash('sha256');
  private readonly blocks: string[] = [];
  private readonly speakers = new Set<string>();
  private readonly startedAt: Date;
  private bytes = 0;
  private ended?: string;

  constructor(
    readonly lease: Lease,
    readonly recordingId: string,
    private readonly details: RecordingDetails,
    private readonly options: RecordingWriterOptions,
    private readonly blob: BlockBlobClient,
    private readonly forget: () => void,
  ) {
    this.startedAt = this.now();
  }

  /** Appends a chunk; refused once the lease no longer holds. A storage failure revokes the grant. */
  async write(chunk: Uint8Array, speakerId?: string): Promise<void> {
    await this.requireLease();
    const blockId = Buffer.from(String(this.blocks.length).padStart(8, '0')).toString('base64');
    try {
      await this.blob.stageBlock(blockId, Buffer.from(chunk), chunk.length);
    } catch (error) {
      await this.storageFailed(error);
    }
    this.requireOpen();
    this.blocks.push(blockId);
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (speakerId) this.speakers.add(speakerId);
  }

  /** Commits the recording under a lease that still holds, announces it, and returns its metadata. */
  async finish(durationMs?: number): Promise<RecordingMetadata> {
    await this.requireLease();
    const startedAt = this.details.recordedBetween?.startedAt ?? this.startedAt;
    const endedAt = this.details.recordedBetween?.endedAt ?? this.now();
    const retainUntil = new Date(endedAt.getTime() + this.options.retentionDays(this.details.tenantId) * DAY_MS);
    const recording = recordingMetadataSchema.parse({
      recordingId: this.recordingId,
      callId: this.lease.callId,
      ...(this.details.tenantId ? { tenantId: this.details.tenantId } : {}),
      grantId: this.lease.grantId,
      container: this.options.container.containerName,
      blobName: this.blob.name,
      contentType: this.details.contentType,
      participants: this.details.participants,
      speakers: [...this.speakers],
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      durationMs: durationMs ?? endedAt.getTime() - startedAt.getTime(),
      bytes: this.bytes,
      sha256: this.hash.digest('hex'),
      retainUntil: retainUntil.toISOString(),
    });
    try {
      await this.blob.commitBlockList(this.blocks, {
        blobHTTPHeaders: { blobContentType: this.details.contentType },
        metadata: { recordingid: recording.recordingId, callid: recording.callId, grantid: this.lease.grantId, sha256: recording.sha256, retainuntil: recording.retainUntil },
      });
      await this.options.container.getBlockBlobClient(metadataBlobName(this.blob.name)).upload(JSON.stringify(recording), Buffer.byteLength(JSON.stringify(recording)), {
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    } catch (error) {
      await this.storageFailed(error);
    }
    this.end('finished');
    await this.options.announcer.announce(recording, this.options.recorder);
    return recording;
  }

  /** No more writes: the grant ended, or the recording finished. Staged blocks that were never committed are no blob. */
  end(reason: string): void {
    if (this.ended) return;
    this.ended = reason;
    this.forget();
  }

  get endedBecause(): string | undefined {
    return this.ended;
  }

  private async requireLease(): Promise<void> {
    this.requireOpen();
    try {
      await this.options.leases.check(this.lease);
    } catch (error) {
      this.end(error instanceof Error ? error.message : 'the lease does not hold');
      throw error;
    }
    this.requireOpen();
  }

  private requireOpen(): void {
    if (this.ended) throw new LeaseRefused('RecordingEnded', `recording ${this.recordingId} of call ${this.lease.callId} takes no more writes: ${this.ended}`);
  }

  private async storageFailed(error: unknown): Promise<never> {
    const reason = `storage failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500);
    this.end(reason);
    await this.options.leases.revoke(this.lease, reason).catch(() => undefined);
    throw new Error(reason);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

/** The metadata of a recording sits beside it as JSON, so a listing needs no database. */
export const metadataBlobName = (blobName: string): string => `${blobName}.json`;
