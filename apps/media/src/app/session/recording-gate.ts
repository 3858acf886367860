/**
 * The only way frames reach storage. Recording-compliance owns the grant: it exists once `updateRecordingStatus
 * (recording)` was acknowledged by Graph and is revoked when recording must stop (the caller said no, `notRecording`,
 * a Graph or storage error). The media pod asks for the call's grant before every frame it writes and stops at once
 * when it is revoked; it never decides by itself that recording is allowed.
 */
export interface RecordingGrant {
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

/** Where one track's frames go (the compliance service's Blob writer, in production). */
export interface RecordingSink {
  /** Takes one 640-byte frame without blocking; false when it cannot keep up and the frame is lost (counted). */
  write(frame: Buffer, timestampTicks: bigint): boolean;
  /** No more frames: `ended` with the call, `revoked` when the grant went (the writer must flush what it has). */
  close(reason: 'ended' | 'revoked'): Promise<void>;
}

export type OpenRecordingSink = (callId: string, track: RecordingTrack, grant: RecordingGrant) => RecordingSink;

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
