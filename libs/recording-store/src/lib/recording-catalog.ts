import type { ContainerClient } from '@azure/storage-blob';
import { recordingMetadataSchema, type RecordingMetadata } from '@switchboard/nats-contracts';
import { callBlobPrefix } from './recording-writer';

/** Reads what the writer stored: the recordings of a tenant or call (from their metadata), and their content. */
export class RecordingCatalog {
  constructor(private readonly container: ContainerClient) {}

  async list(filter: { callId?: string; limit?: number } = {}): Promise<RecordingMetadata[]> {
    const found: RecordingMetadata[] = [];
    if (!(await this.container.exists())) return found;
    for await (const blob of this.container.listBlobsFlat()) {
      if (!blob.name.endsWith('.json')) continue;
      const metadata = recordingMetadataSchema.parse(JSON.parse((await this.container.getBlockBlobClient(blob.name).downloadToBuffer()).toString('utf8')));
      if (filter.callId && metadata.callId !== filter.callId) continue;
      found.push(metadata);
      if (found.length >= (filter.limit ?? 1000)) break;
    }
    return found.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  /** The recording's metadata and bytes, or undefined when there is none with that id. */
  async get(recordingId: string): Promise<{ metadata: RecordingMetadata; content: Buffer } | undefined> {
    const metadata = (await this.list()).find((r) => r.recordingId === recordingId);
    if (!metadata) return undefined;
    const blob = this.container.getBlockBlobClient(metadata.blobName);
    if (!(await blob.exists())) return undefined;
    return { metadata, content: await blob.downloadToBuffer() };
  }

  /** The names of every blob under the call's prefix (committed recordings and their metadata). */
  async blobsOfCall(tenantId: string | undefined, callId: string): Promise<string[]> {
    const names: string[] = [];
    if (!(await this.container.exists())) return names;
    for await (const blob of this.container.listBlobsFlat({ prefix: callBlobPrefix(tenantId, callId) })) names.push(blob.name);
    return names;
  }
}


