import type { RecordingWriter } from '@switchboard/recording-store';
import type { RecordingStore, RecordingToStore, StoredRecording } from '../orchestration/ports';

/** Blocks staged per write: few lease checks for a message, bounded memory for a long one. */
const BLOCK_BYTES = 1024 * 1024;

/**
 * Stores recorded messages through libs/recording-store's writer, under the lease of the grant they were recorded
 * under (checked before opening, before every block and before the commit). The file is fetched from Graph's
 * `recordingLocation` with its `recordingAccessToken` promptly, since Graph discards recordings soon after the call.
 */
export class BlobRecordings implements RecordingStore {
  constructor(
    private readonly writer: Pick<RecordingWriter, 'open'>,
    private readonly timeoutMs = 30_000,
  ) {}

  async store(recording: RecordingToStore): Promise<StoredRecording> {
    const res = await fetch(recording.location, { headers: { authorization: `Bearer ${recording.accessToken}` }, signal: AbortSignal.timeout(this.timeoutMs) });
    if (!res.ok || !res.body) throw new Error(`recording download answered ${res.status}`);
    // recordResponse records WAV; an answer that does not say what it is is taken as such.
    const announced = res.headers.get('content-type') ?? '';
    const contentType = announced.startsWith('audio/') ? announced : 'audio/wav';
    const session = await this.writer
      .open(
        { grantId: recording.grantId, callId: recording.callId },
        {
          ...(recording.tenantId ? { tenantId: recording.tenantId } : {}),
          participants: recording.participants,
          contentType,
          extension: contentType.includes('wav') ? 'wav' : 'audio',
          recordedBetween: { startedAt: recording.startedAt, endedAt: recording.endedAt },
        },
      )
      .catch(async (error: unknown) => {
        // No lease, no write: the download is dropped unread.
        await res.body?.cancel().catch(() => undefined);
        throw error;
      });
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      const block = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      await session.write(block);
    };
    try {
      for await (const chunk of res.body) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= BLOCK_BYTES) await flush();
      }
      await flush();
    } catch (error) {
      // Staged blocks without a commit are no blob: a retry starts a new recording.
      session.end(`the download failed: ${(error as Error).message}`);
      throw error;
    }
    const stored = await session.finish();
    return { recordingId: stored.recordingId, container: stored.container, blobName: stored.blobName, bytes: stored.bytes, contentType: stored.contentType, sha256: stored.sha256 };
  }
}
