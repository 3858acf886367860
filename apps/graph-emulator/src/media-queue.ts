import { randomBytes } from 'node:crypto';
import { type MediaPrompt, type RecordResponseRequest, type Tone, digitToTone } from '@switchboard/graph-models';
import { type CallRecord, type OperationRecord, type WireResultInfo, resultInfo } from './call-record';
import { after, cancelTimer, clearOperationTimers } from './call-timers';

/** Graph's default for each recordResponse limit, in seconds. */
const RECORD_DEFAULT_S = 5;

export const DONE = () => resultInfo(200, 0, 'Action completed.');
export const CANCELLED = () => resultInfo(400, 8508, 'Action failed, the operation was cancelled.');

/** How a recording ended → its resultInfo. Only 8515 is documented; the others say the same in words. */
const RECORD_RESULTS = {
  maxRecordDurationReached: () => resultInfo(200, 8515, 'Action completed, max record duration reached.'),
  maxSilenceTimeout: () => resultInfo(200, 0, 'Action completed, max silence timeout reached.'),
  initialSilenceTimeout: () => resultInfo(200, 8510, 'Action completed, initial silence timeout reached: nothing was said.'),
  stopToneDetected: () => resultInfo(200, 0, 'Action completed, stop tone detected.'),
} satisfies Record<string, () => WireResultInfo>;
type RecordEnd = keyof typeof RECORD_RESULTS;

export type FinishOperation = (
  call: CallRecord,
  op: OperationRecord,
  status: 'completed' | 'failed',
  result: WireResultInfo,
  reason: string,
) => void;

export interface MediaQueueOptions {
  promptMs: number;
  /** Base for recording locations handed to the bot. */
  baseUrl: string;
  finish: FinishOperation;
  /** A recording started listening (an unscripted person leaves a message then). */
  recordingStarted(call: CallRecord): void;
}

/**
 * playPrompt and recordResponse on service-hosted calls: one FIFO per call whose head runs.
 * A recordResponse with `bargeInAllowed` jumps the queue (the running operation is cancelled, the
 * queued ones wait behind it), and a key pressed during its own prompt cuts the prompt short.
 * A recording runs prompt → beep → listening, and ends on its maximum duration, on silence (before
 * any speech or after speech) or on a stop tone.
 */
export class MediaQueue {
  constructor(private readonly options: MediaQueueOptions) {}

  playPrompt(call: CallRecord, op: OperationRecord, prompts: MediaPrompt[]): void {
    op.prompts = prompts;
    this.enqueue(call, op, false);
  }

  record(call: CallRecord, op: OperationRecord, body: RecordResponseRequest): void {
    const ms = (s: number | undefined) => (s ?? RECORD_DEFAULT_S) * 1000;
    op.prompts = body.prompts ?? [];
    op.stopTones = (body.stopTones ?? []).map((t) => digitToTone(t)).filter((t): t is Tone => t !== undefined);
    op.recording = {
      maxMs: ms(body.maxRecordDurationInSeconds),
      initialSilenceMs: ms(body.initialSilenceTimeoutInSeconds),
      maxSilenceMs: ms(body.maxSilenceTimeoutInSeconds),
      playBeep: body.playBeep ?? true,
      bargeIn: body.bargeInAllowed ?? false,
      phase: 'queued',
      speech: [],
      beeped: false,
    };
    this.enqueue(call, op, op.recording.bargeIn);
  }

  /** cancelMediaProcessing: the running and the queued operations fail with 400/8508. */
  cancelAll(call: CallRecord): void {
    const ops = call.mediaQueue.splice(0).map((id) => call.operations.get(id));
    for (const op of ops) if (op) this.cancel(call, op);
  }

  /** Whether a key pressed now matters to the head operation (a stop tone, or a barge-in prompt). */
  listensForKeys(call: CallRecord): boolean {
    const rec = this.head(call)?.recording;
    if (!rec) return false;
    return (rec.phase === 'recording' && (this.head(call)?.stopTones?.length ?? 0) > 0) || (rec.phase === 'prompt' && rec.bargeIn);
  }

  key(call: CallRecord, tone: Tone): void {
    const op = this.head(call);
    const rec = op?.recording;
    if (!op || !rec) return;
    if (rec.phase === 'recording' && op.stopTones?.includes(tone)) this.endRecording(call, op, 'stopToneDetected');
    else if (rec.phase === 'prompt' && rec.bargeIn) this.beginRecording(call, op);
  }

  /** The person started or stopped talking. */
  speech(call: CallRecord, talking: boolean): void {
    const op = this.head(call);
    const rec = op?.recording;
    if (!op || rec?.phase !== 'recording') return;
    const at = Date.now() - (rec.startedAt ?? Date.now());
    cancelTimer(call, rec.silenceTimer);
    if (talking) {
      rec.speech.push({ fromMs: at });
      return;
    }
    const open = rec.speech.at(-1);
    if (open && open.toMs === undefined) open.toMs = at;
    rec.silenceTimer = after(call, rec.maxSilenceMs, () => this.endRecording(call, op, 'maxSilenceTimeout'), op);
  }

  private head(call: CallRecord): OperationRecord | undefined {
    return call.operations.get(call.mediaQueue[0] ?? '');
  }

  private enqueue(call: CallRecord, op: OperationRecord, bargeIn: boolean): void {
    const running = this.head(call);
    if (bargeIn && running) {
      call.mediaQueue[0] = op.id;
      this.cancel(call, running);
      this.start(call);
      return;
    }
    call.mediaQueue.push(op.id);
    if (call.mediaQueue.length === 1) this.start(call);
  }

  private start(call: CallRecord): void {
    const op = this.head(call);
    if (!op) return;
    const promptMs = this.options.promptMs * (op.prompts?.length ?? 0);
    if (op.recording) {
      op.recording.phase = 'prompt';
      after(call, promptMs, () => this.beginRecording(call, op), op);
    } else {
      after(call, promptMs, () => this.complete(call, op, DONE(), 'completedSuccessfully'), op);
    }
  }

  private beginRecording(call: CallRecord, op: OperationRecord): void {
    const rec = op.recording;
    if (!rec) return;
    clearOperationTimers(call, op);
    this.notePrompts(call, op);
    Object.assign(rec, { phase: 'recording', startedAt: Date.now(), beeped: rec.playBeep });
    after(call, rec.maxMs, () => this.endRecording(call, op, 'maxRecordDurationReached'), op);
    if (call.person.speaking) this.speech(call, true);
    else rec.silenceTimer = after(call, rec.initialSilenceMs, () => this.endRecording(call, op, 'initialSilenceTimeout'), op);
    this.options.recordingStarted(call);
  }

  private endRecording(call: CallRecord, op: OperationRecord, reason: RecordEnd): void {
    const rec = op.recording;
    if (rec?.phase !== 'recording') return;
    const recordedMs = reason === 'maxRecordDurationReached' ? rec.maxMs : Math.min(rec.maxMs, Date.now() - (rec.startedAt ?? 0));
    for (const part of rec.speech) part.toMs = Math.min(part.toMs ?? recordedMs, recordedMs);
    rec.phase = 'done';
    op.recordedMs = recordedMs;
    op.recordingLocation = `${this.options.baseUrl}/emulator/recordings/${op.id}`;
    op.recordingAccessToken = randomBytes(24).toString('base64url');
    this.complete(call, op, RECORD_RESULTS[reason](), reason);
  }

  /** The head finished: report it and start the next one. */
  private complete(call: CallRecord, op: OperationRecord, result: WireResultInfo, reason: string): void {
    clearOperationTimers(call, op);
    if (!op.recording) this.notePrompts(call, op);
    if (call.mediaQueue[0] === op.id) call.mediaQueue.shift();
    this.options.finish(call, op, 'completed', result, reason);
    this.start(call);
  }

  /** recordOperation and playPromptOperation name a cancellation differently (their Graph enums). */
  private cancel(call: CallRecord, op: OperationRecord): void {
    clearOperationTimers(call, op);
    if (op.recording) op.recording.phase = 'done';
    const reason = op.type === 'recordOperation' ? 'operationCanceled' : 'mediaOperationCanceled';
    this.options.finish(call, op, 'failed', CANCELLED(), reason);
  }

  private notePrompts(call: CallRecord, op: OperationRecord): void {
    const at = new Date().toISOString();
    for (const prompt of op.prompts ?? []) call.promptsPlayed.push({ operationId: op.id, uri: prompt.mediaInfo.uri, at });
  }
}
