import type { ContainerClient } from '@azure/storage-blob';
import { recordingMetadataSchema, type RecordingMetadata } from '@switchboard/nats-contracts';
import { callBlobPrefix, metadataBlobName } from './recording-writer';

/** A stored recording as its blob's own metadata names it (set by the writer at commit): read without a download. */
export interface StoredRecordingRef {
  blobName: string;
  recordingId: string;
  callId: string;
  retainUntil: string;
}

/**
 * Reads what the writer stored: the recordings of a call, one recording by id, the recordings past their retention.
 * Lookups read the recording blobs' own metadata from the listing (no download per recording); only what matches is
 * downloaded. A listing is still one pass over the container's names, 5,000 to a page.
 */
export class RecordingCatalog {
  constructor(private readonly container: ContainerClient) {}

  async list(filter: { callId?: string; limit?: number } = {}): Promise<RecordingMetadata[]> {
    const found: RecordingMetadata[] = [];
    for await (const ref of this.refs()) {
      if (filter.callId && ref.callId !== filter.callId) continue;
      const metadata = await this.metadataOf(ref);
      if (metadata) found.push(metadata);
      if (found.length >= (filter.limit ?? 1000)) break;
    }
    return found.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  /** The recording's metadata and bytes, or undefined when there is none with that id. */
  async get(recordingId: string): Promise<{ metadata: RecordingMetadata; content: Buffer } | undefined> {
    for await (const ref of this.refs()) {
      if (ref.recordingId !== recordingId) continue;
      const metadata = await this.metadataOf(ref);
      const blob = this.container.getBlockBlobClient(ref.blobName);
      if (!metadata || !(await blob.exists())) return undefined;
      return { metadata, content: await blob.downloadToBuffer() };
    }
    return undefined;
  }

  /** Recordings whose retention ended at or before `now`, with their metadata (absent when its JSON is gone). */
  async expired(now: Date): Promise<(StoredRecordingRef & { metadata?: RecordingMetadata })[]> {
    const due: (StoredRecordingRef & { metadata?: RecordingMetadata })[] = [];
    for await (const ref of this.refs()) {
      if (Date.parse(ref.retainUntil) > now.getTime()) continue;
      const metadata = await this.metadataOf(ref);
      due.push({ ...ref, ...(metadata ? { metadata } : {}) });
    }
    return due;
  }

  /** Deletes a recording and its metadata; true when this call deleted the recording (another replica may have). */
  async delete(ref: Pick<StoredRecordingRef, 'blobName'>): Promise<boolean> {
    const deleted = await this.container.getBlockBlobClient(ref.blobName).deleteIfExists();
    await this.container.getBlockBlobClient(metadataBlobName(ref.blobName)).deleteIfExists();
    return deleted.succeeded;
  }

  /** The names of every blob under the call's prefix (committed recordings and their metadata). */
  async blobsOfCall(tenantId: string | undefined, callId: string): Promise<string[]> {
    const names: string[] = [];
    if (!(await this.container.exists())) return names;
    for await (const blob of this.container.listBlobsFlat({ prefix: callBlobPrefix(tenantId, callId) })) names.push(blob.name);
    return names;
  }

  private async *refs(): AsyncGenerator<StoredRecordingRef> {
    if (!(await this.container.exists())) return;
    for await (const blob of this.container.listBlobsFlat({ includeMetadata: true })) {
      const m = blob.metadata ?? {};
      if (blob.name.endsWith('.json') || !m['recordingid'] || !m['callid'] || !m['retainuntil']) continue;
      yield { blobName: blob.name, recordingId: m['recordingid'], callId: m['callid'], retainUntil: m['retainuntil'] };
    }
  }

  private async metadataOf(ref: StoredRecordingRef): Promise<RecordingMetadata | undefined> {
    const json = this.container.getBlockBlobClient(metadataBlobName(ref.blobName));
    if (!(await json.exists())) return undefined;
    return recordingMetadataSchema.parse(JSON.parse((await json.downloadToBuffer()).toString('utf8')));
  }
}
