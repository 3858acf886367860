import { FRAME_MS, SAMPLE_RATE, streamingWavHeader } from '@switchboard/media-dsp';
import type { RecordingSession, RecordingWriter } from '@switchboard/recording-store';
import type { OpenRecordingSink, RecordedParticipant, RecordingSink, RecordingTrack, SinkCloseReason, StoredRecording } from '../session/recording-gate';

export interface BlobSinkOptions {
  /** Frames waiting for storage before new ones are dropped (counted): 10 s by default. */
  capacityFrames?: number;
  /** Frames per staged block: 1 s by default (a block blob takes up to 50,000 blocks, about 14 hours). */
  framesPerBlock?: number;
}

const WAV_HEADER = streamingWavHeader(SAMPLE_RATE);

/**
 * One track written through the recordings writer as a 16 kHz mono WAV: frames are taken without waiting (into a
 * bounded buffer; when storage falls behind the newest are dropped and counted) and staged a block at a time in the
 * background. `close('ended')` commits the recording and returns it; `revoked` or `cancelled` drop what is buffered
 * and leave the staged blocks uncommitted, which is no recording. The writer checks the lease before it opens, for
 * every block and for the commit, so nothing is stored outside the grant.
 */
export class BlobRecordingSink implements RecordingSink {
  private readonly capacity: number;
  private readonly framesPerBlock: number;
  private readonly session: Promise<RecordingSession>;
  private buffered: Buffer[] = [];
  private written = 0;
  private pump: Promise<void> = Promise.resolve();
  private pumping = false;
  private closed: SinkCloseReason | undefined;
  private failure: Error | undefined;

  constructor(
    writer: RecordingWriter,
    lease: { grantId: string; callId: string },
    details: { tenantId?: string; participants: readonly RecordedParticipant[] },
    private readonly speakerId: string | undefined,
    options: BlobSinkOptions = {},
  ) {
    this.capacity = options.capacityFrames ?? 500;
    this.framesPerBlock = options.framesPerBlock ?? 50;
    this.session = writer.open(lease, { ...(details.tenantId ? { tenantId: details.tenantId } : {}), participants: [...details.participants], contentType: 'audio/wav', extension: 'wav' }).then(async (session) => {
      await session.write(WAV_HEADER, speakerId);
      return session;
    });
    this.session.catch((error: unknown) => this.fail(error));
  }

  write(frame: Buffer): boolean {
    if (this.closed || this.failure || this.buffered.length >= this.capacity) return false;
    this.buffered.push(frame);
    if (this.buffered.length >= this.framesPerBlock) this.drain(false);
    return true;
  }

  async close(reason: SinkCloseReason): Promise<StoredRecording | undefined> {
    if (this.closed) throw new Error(`the recording sink is already closed (${this.closed})`);
    this.closed = reason;
    if (reason !== 'ended') {
      this.buffered = [];
      const session = await this.session.catch(() => undefined);
      session?.end(reason === 'revoked' ? 'the grant was revoked' : 'the recording was cancelled');
      return undefined;
    }
    this.drain(true);
    await this.pump;
    if (this.failure) throw this.failure;
    const recording = await (await this.session).finish(this.written * FRAME_MS);
    const { recordingId, grantId, container, blobName, bytes, durationMs, sha256 } = recording;
    return { recordingId, ...(grantId ? { grantId } : {}), container, blobName, bytes, durationMs, sha256 };
  }

  /** Stages whole blocks (and, on `all`, the rest) one after another, never two writes at once. */
  private drain(all: boolean): void {
    if (this.pumping && !all) return;
    this.pumping = true;
    this.pump = this.pump.then(async () => {
      try {
        const session = await this.session;
        while (!this.failure && this.buffered.length > 0 && (all || this.buffered.length >= this.framesPerBlock)) {
          const block = this.buffered.splice(0, this.framesPerBlock);
          // A revocation while the block was being staged: what was taken is not written.
          if (this.closed && this.closed !== 'ended') return;
          await session.write(Buffer.concat(block), this.speakerId);
          this.written += block.length;
        }
      } catch (error) {
        this.fail(error);
      } finally {
        this.pumping = false;
      }
    });
  }

  private fail(error: unknown): void {
    this.failure ??= error instanceof Error ? error : new Error(String(error));
    this.buffered = [];
  }
}

/** Opens each track as a BlobRecordingSink under its grant; speaker tracks name the participant (or the MSI). */
export function blobSinkOpener(writer: RecordingWriter, options: BlobSinkOptions = {}): OpenRecordingSink {
  return (_callId, track: RecordingTrack, grant, participants) =>
    new BlobRecordingSink(writer, { grantId: grant.grantId, callId: grant.callId }, { ...(grant.tenantId ? { tenantId: grant.tenantId } : {}), participants }, speakerOf(track), options);
}

const speakerOf = (track: RecordingTrack): string | undefined => (track.kind === 'speaker' ? (track.participantId ?? `msi:${track.msi}`) : undefined);
