/**
 * The only way frames reach storage. Recording-compliance owns the grant: it exists once `updateRecordingStatus
 * (recording)` was acknowledged by Graph and is revoked when recording must stop (the caller said no, `notRecording`,
 * a Graph or storage error). The media pod asks for the call's grant before every frame it writes and stops at once
 * when it is revoked; it never decides by itself that recording is allowed.
 */
export interface RecordingGrant {
  /** recording-compliance's id of the grant (the lease the recordings writer checks). */
  readonly grantId: string;
  /** The Graph call id the grant is for. */
  readonly callId: string;
  /** The call's tenant, as recording-compliance knows it. */
  readonly tenantId?: string;
  /** Who asked for it (`media:<pod>` for whole calls, `media:<pod>:record` for the record verb). */
  readonly recorder: string;
  /** False once revoked or expired: nothing may be written under it from then on. */
  readonly valid: boolean;
  /** Called once when the grant is revoked; returns a function that stops listening. */
  onRevoked(listener: () => void): () => void;
}

export interface RecordingGate {
  /** The call's grant now, or undefined while recording is not (or no longer) acknowledged. */
  grantFor(callId: string): RecordingGrant | undefined;
}

/** What a recording holds: the call as heard (mixed) or one speaker's unmixed audio. */
export type RecordingTrack = { kind: 'mixed' } | { kind: 'speaker'; msi: number; participantId?: string };

/** A recording as stored (the `recording` of `record-completed`). */
export interface StoredRecording {
  recordingId: string;
  /** The grant it was written under (the lease the writer checked). */
  grantId?: string;
  container: string;
  blobName: string;
  bytes: number;
  durationMs: number;
  sha256: string;
}

/**
 * Why a sink closes: `ended` commits what was written (the call or the recording ended normally); `revoked` (the
 * grant went) and `cancelled` (nobody wants it) commit nothing.
 */
export type SinkCloseReason = 'ended' | 'revoked' | 'cancelled';

/** Where one track's frames go (the recordings writer, in production). */
export interface RecordingSink {
  /** Takes one 640-byte frame without blocking; false when it cannot keep up and the frame is lost (counted). */
  write(frame: Buffer, timestampTicks: bigint): boolean;
  /** No more frames; resolves with the stored recording when `ended` committed one. Rejects when storing failed. */
  close(reason: SinkCloseReason): Promise<StoredRecording | undefined>;
}

/** Who was in the call when a track opened (recording metadata). */
export interface RecordedParticipant {
  id: string;
  displayName?: string;
}

export type OpenRecordingSink = (callId: string, track: RecordingTrack, grant: RecordingGrant, participants: readonly RecordedParticipant[]) => RecordingSink;

/** No grant service wired: nothing is ever recorded. */
export const noRecordingGate: RecordingGate = { grantFor: () => undefined };

/**
 * The pod's side of the grant protocol: asks recording-compliance for a call's grant, keeps its lease renewed while
 * frames are written, and gives it back once the last write is flushed (compliance then sends `notRecording`).
 */
export interface RecordingGrants extends RecordingGate {
  /** Resolves once Graph acknowledged `recording` and the grant is active; rejects with the refusal otherwise. */
  acquire(callId: string, recorder: string): Promise<RecordingGrant>;
  /** Stops the call's grant; call it only after every sink written under it is closed. */
  release(callId: string): Promise<void>;
}
