import { FRAME_MS, SineOscillator, msToSamples, sineAmplitude, toInt16 } from '@switchboard/media-dsp';
import type { MediaEventOf, RecordCommand } from '@switchboard/nats-contracts';
import type { PromptPlayer } from './prompt-player';
import type { RecordOutcome } from './recorder';
import type { OpenRecordingSink, RecordedParticipant, RecordingGrant, RecordingGrants, RecordingSink, StoredRecording } from './recording-gate';

export type RecordCompletion = Pick<MediaEventOf<'record-completed'>, 'id' | 'reason' | 'key' | 'recording' | 'error'>;
type Reason = RecordCompletion['reason'];

/** A second `record` while one runs on the call. */
export class RecordingBusyError extends Error {
  override readonly name = 'RecordingBusyError';
}

/** What a message recording needs of its session and pod. */
export interface MessageRecordingDeps {
  callId: string;
  /** Who asks recording-compliance for the grant (`media:<pod>:record`). */
  recorder: string;
  grants: RecordingGrants;
  openSink: OpenRecordingSink;
  player: PromptPlayer;
  participants: () => RecordedParticipant[];
  count: (outcome: RecordOutcome, frames: number) => void;
  completed: (completion: RecordCompletion) => void;
}

/** The beep before recording: 400 ms of 1 kHz at -12 dBFS, made once. */
const BEEP = (() => {
  const samples = new Float64Array(msToSamples(400));
  new SineOscillator(1000, sineAmplitude(-12)).add(samples);
  return toInt16(samples);
})();

type Phase = 'granting' | 'waiting' | 'beeping' | 'capturing' | 'finishing' | 'done';

/**
 * One `record` command: asks for the call's grant first, waits for the prompts queued before it (and plays the beep),
 * then writes the caller's inbound mixed audio to one sink until a stop condition, and publishes `record-completed`
 * once, after the sink is closed and the grant released. Driven by the session's frames, so stream time is frame
 * time. A refused grant writes nothing (`not-granted`); a revoked one commits nothing (`failed`).
 */
export class MessageRecording {
  private phase: Phase = 'granting';
  private grant: RecordingGrant | undefined;
  private sink: RecordingSink | undefined;
  private stopListening: (() => void) | undefined;
  private capturedFrames = 0;
  private heardSpeech = false;
  /** Captured time (ms) at which the caller last stopped speaking, while they are silent after speech. */
  private silentSinceMs: number | undefined;
  private finished: Promise<void> | undefined;

  constructor(
    readonly command: RecordCommand,
    private readonly deps: MessageRecordingDeps,
  ) {}

  get id(): string {
    return this.command.id;
  }

  get done(): boolean {
    return this.phase === 'done';
  }

  /** Asks for the grant; everything else follows from it and the frames. */
  start(): void {
    this.deps.grants.acquire(this.deps.callId, this.deps.recorder).then(
      (grant) => this.granted(grant),
      (error: unknown) => {
        if (this.phase === 'granting') void this.finish('not-granted', { error: messageOf(error) });
      },
    );
  }

  /** One inbound frame of the call's mixed audio; `speaking` is the session's voice activity on it. */
  frame(mixed: Buffer, timestampTicks: bigint, speaking: boolean): void {
    if (this.phase === 'waiting' && !this.deps.player.busy) this.promptsDone();
    if (this.phase !== 'capturing') return;
    const sink = this.sink as RecordingSink;
    this.deps.count(sink.write(mixed, timestampTicks) ? 'written' : 'sink-full', 1);
    this.capturedFrames++;
    const capturedMs = this.capturedFrames * FRAME_MS;
    if (speaking) {
      this.heardSpeech = true;
      this.silentSinceMs = undefined;
    } else if (this.heardSpeech) {
      this.silentSinceMs ??= capturedMs - FRAME_MS;
    }
    const { maxDurationSeconds, initialSilenceSeconds, maxSilenceSeconds } = this.command;
    if (capturedMs >= maxDurationSeconds * 1000) void this.finish('max-duration');
    else if (!this.heardSpeech && initialSilenceSeconds !== undefined && capturedMs >= initialSilenceSeconds * 1000) void this.finish('initial-silence');
    else if (this.silentSinceMs !== undefined && maxSilenceSeconds !== undefined && capturedMs - this.silentSinceMs >= maxSilenceSeconds * 1000) void this.finish('silence');
  }

  /** A key the session detected (in the audio or from the platform); a stop key ends the recording. */
  key(digit: string): void {
    if (this.phase === 'capturing' && this.command.stopKeys?.includes(digit)) void this.finish('key', { key: digit });
  }

  /** `cancel`: nothing is kept; the grant is given back. */
  cancel(): Promise<void> {
    return this.finish('cancelled');
  }

  /** The call ended: what was captured under the grant is kept (as Graph's recordResponse keeps it). */
  callEnded(): Promise<void> {
    return this.finish('call-ended');
  }

  private granted(grant: RecordingGrant): void {
    if (this.phase !== 'granting') {
      // Cancelled or the call ended while compliance was asked: the grant is not used.
      void this.deps.grants.release(this.deps.callId).catch(() => undefined);
      return;
    }
    this.grant = grant;
    this.stopListening = grant.onRevoked(() => void this.finish('failed', { error: 'the recording grant was revoked' }));
    this.phase = 'waiting';
  }

  private promptsDone(): void {
    if (!this.command.beep) return this.startCapture();
    this.phase = 'beeping';
    this.deps.player.playTone(`${this.command.id}.beep`, BEEP, () => {
      if (this.phase === 'beeping') this.startCapture();
    });
  }

  private startCapture(): void {
    const grant = this.grant as RecordingGrant;
    this.sink = this.deps.openSink(this.deps.callId, { kind: 'mixed' }, grant, this.deps.participants());
    this.phase = 'capturing';
  }

  /** Ends once: closes the sink (committing only for a normal end under a valid grant), releases, then reports. */
  private finish(reason: Reason, extra: Pick<RecordCompletion, 'key' | 'error'> = {}): Promise<void> {
    this.finished ??= this.close(reason, extra);
    return this.finished;
  }

  private async close(reason: Reason, extra: Pick<RecordCompletion, 'key' | 'error'>): Promise<void> {
    const phase = this.phase;
    this.phase = 'finishing';
    this.stopListening?.();
    if (phase === 'beeping') this.deps.player.cancel(`${this.command.id}.beep`);
    const keep = reason !== 'cancelled' && reason !== 'failed' && reason !== 'not-granted' && this.grant?.valid === true;
    let recording: StoredRecording | undefined;
    let error = extra.error;
    try {
      recording = await this.sink?.close(keep ? 'ended' : reason === 'failed' ? 'revoked' : 'cancelled');
    } catch (err) {
      error = `the recording could not be stored: ${messageOf(err)}`;
      // The call's end stays the outcome: compliance revokes the grant as the call ends, which may beat the commit.
      if (reason !== 'call-ended') reason = 'failed';
    }
    // The grant is given back only after the sink is closed: compliance then sends notRecording.
    if (this.grant?.valid) await this.deps.grants.release(this.deps.callId).catch(() => undefined);
    this.phase = 'done';
    this.deps.completed({ id: this.command.id, reason, ...(extra.key ? { key: extra.key } : {}), ...(recording ? { recording } : {}), ...(error ? { error } : {}) });
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
