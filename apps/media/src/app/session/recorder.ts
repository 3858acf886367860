import type { AudioFrame } from '@switchboard/media-proto';
import type { OpenRecordingSink, RecordingGate, RecordingGrant, RecordingSink, RecordingTrack } from './recording-gate';
import type { SpeakerDirectory } from './speaker-directory';

export type RecordOutcome = 'written' | 'not-granted' | 'sink-full';

/**
 * Records one call, the mixed audio and each unmixed speaker on its own track, only under the call's grant: every
 * frame asks the gate, a frame without a valid grant is not written, and a revocation closes every track at once
 * (later frames wait for a new grant, which starts new tracks).
 */
export class Recorder {
  private grant: RecordingGrant | undefined;
  private stopListening: (() => void) | undefined;
  private readonly tracks = new Map<string, RecordingSink>();
  private closing: Promise<unknown>[] = [];

  constructor(
    private readonly callId: string,
    private readonly gate: RecordingGate,
    private readonly openSink: OpenRecordingSink,
    private readonly directory: SpeakerDirectory,
    private readonly count: (outcome: RecordOutcome, frames: number) => void = () => undefined,
  ) {}

  /** Writes the frame's mixed audio and unmixed buffers to their tracks, if the call's grant allows it now. */
  record(frame: AudioFrame): void {
    const buffers = (frame.data.length > 0 ? 1 : 0) + frame.unmixedBuffers.length;
    const grant = this.currentGrant();
    if (!grant) {
      this.count('not-granted', buffers);
      return;
    }
    if (frame.data.length > 0) this.write(grant, 'mixed', { kind: 'mixed' }, frame.data, frame.timestampTicks);
    for (const b of frame.unmixedBuffers) {
      const track: RecordingTrack = { kind: 'speaker', msi: b.speakerMsi, ...this.participantOf(b.speakerMsi) };
      this.write(grant, `speaker-${b.speakerMsi}`, track, b.data, b.originalSenderTimestampTicks || frame.timestampTicks);
    }
  }

  /** The call ended: closes every track. */
  async close(): Promise<void> {
    this.release('ended');
    await Promise.allSettled(this.closing);
  }

  private currentGrant(): RecordingGrant | undefined {
    const grant = this.gate.grantFor(this.callId);
    if (grant !== this.grant) {
      // A different grant (or none): what was written under the old one is closed first.
      if (this.grant) this.release('revoked');
      if (grant?.valid) {
        this.grant = grant;
        this.stopListening = grant.onRevoked(() => this.release('revoked'));
      }
    }
    return this.grant?.valid ? this.grant : (this.release('revoked'), undefined);
  }

  private write(grant: RecordingGrant, key: string, track: RecordingTrack, data: Buffer, ticks: bigint): void {
    let sink = this.tracks.get(key);
    if (!sink) {
      sink = this.openSink(this.callId, track, grant, this.directory.participants());
      this.tracks.set(key, sink);
    }
    this.count(sink.write(data, ticks) ? 'written' : 'sink-full', 1);
  }

  private participantOf(msi: number): { participantId?: string } {
    const participantId = this.directory.speaker(msi).participantId;
    return participantId ? { participantId } : {};
  }

  private release(reason: 'ended' | 'revoked'): void {
    this.stopListening?.();
    this.stopListening = undefined;
    this.grant = undefined;
    for (const sink of this.tracks.values()) this.closing.push(sink.close(reason));
    this.tracks.clear();
  }
}
