import type { ObjectStore } from 'nats';
import type { RecordingStore, StoredRecording } from '../orchestration/ports';

/**
 * Keeps recorded messages in a JetStream object store. The recording is fetched from Graph's `recordingLocation`
 * with its `recordingAccessToken` promptly, since Graph discards recordings soon after the call.
 */
export class ObjectStoreRecordings implements RecordingStore {
  constructor(
    private readonly objects: ObjectStore,
    private readonly bucket: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async store(name: string, location: string, accessToken: string): Promise<StoredRecording> {
    const res = await fetch(location, { headers: { authorization: `Bearer ${accessToken}` }, signal: AbortSignal.timeout(this.timeoutMs) });
    if (!res.ok) throw new Error(`recording download answered ${res.status}`);
    const data = new Uint8Array(await res.arrayBuffer());
    const contentType = res.headers.get('content-type') ?? 'application/octet-stream';
    await this.objects.putBlob({ name, description: contentType }, data);
    return { bucket: this.bucket, name, bytes: data.length, contentType };
  }
}
