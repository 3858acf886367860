import { FRAME_BYTES, FRAME_MS, levelDbfs, pcm16View } from '@switchboard/media-dsp';

/** Frames louder than this are sound (a prompt, speech); quieter ones are silence or comfort noise. */
const SOUND_DBFS = -50;
/** Silences up to this long inside sound belong to the same segment (pauses between words). */
const MERGE_GAP_MS = 200;
/** Bounds per call: a long call keeps its first segments and prompts and counts the rest. */
const MAX_SEGMENTS = 500;
const MAX_PROMPTS = 200;

export interface HeardSegment {
  startMs: number;
  endMs: number;
}

export interface HeardPrompt {
  promptId: string;
  startMs: number;
  endMs: number;
  frames: number;
  /** How much of the prompt was played (its frames × 20 ms): a prompt cut by barge-in is short of its length. */
  heardMs: number;
}

export interface HeardView {
  framesReceived: number;
  /** Frames that were not 640 bytes (not played). */
  framesMalformed: number;
  heardSeconds: number;
  segments: HeardSegment[];
  segmentsDropped: number;
  prompts: HeardPrompt[];
  promptsDropped: number;
}

/**
 * What the caller heard from the bot on one call: the outbound frames placed on a playout timeline (a frame plays
 * when it arrives, or right after the frame before it if that is still playing, as a jitter buffer would), an
 * energy timeline of sound segments, and per prompt where its frames started and stopped (a barge-in shows as a
 * prompt whose frames stop early).
 */
export class HeardAudio {
  private framesReceived = 0;
  private framesMalformed = 0;
  private soundFrames = 0;
  private cursorMs = 0;
  private readonly segments: HeardSegment[] = [];
  private segmentsDropped = 0;
  private readonly prompts = new Map<string, HeardPrompt>();
  private promptsDropped = 0;

  /** `atMs`: when the frame arrived, in ms since the stream opened. */
  add(data: Uint8Array, promptId: string, atMs: number): void {
    this.framesReceived += 1;
    if (data.byteLength !== FRAME_BYTES) {
      this.framesMalformed += 1;
      return;
    }
    const startMs = Math.max(Math.round(atMs), this.cursorMs);
    this.cursorMs = startMs + FRAME_MS;
    if (levelDbfs(pcm16View(data)) >= SOUND_DBFS) {
      this.soundFrames += 1;
      this.addSound(startMs, this.cursorMs);
    }
    if (promptId) this.addPromptFrame(promptId, startMs, this.cursorMs);
  }

  view(): HeardView {
    return {
      framesReceived: this.framesReceived,
      framesMalformed: this.framesMalformed,
      heardSeconds: (this.soundFrames * FRAME_MS) / 1000,
      segments: this.segments.map((s) => ({ ...s })),
      segmentsDropped: this.segmentsDropped,
      prompts: [...this.prompts.values()].map((p) => ({ ...p })),
      promptsDropped: this.promptsDropped,
    };
  }

  private addSound(startMs: number, endMs: number): void {
    const last = this.segments[this.segments.length - 1];
    if (last && startMs - last.endMs <= MERGE_GAP_MS) {
      last.endMs = endMs;
      return;
    }
    if (this.segments.length >= MAX_SEGMENTS) {
      this.segmentsDropped += 1;
      return;
    }
    this.segments.push({ startMs, endMs });
  }

  private addPromptFrame(promptId: string, startMs: number, endMs: number): void {
    const prompt = this.prompts.get(promptId);
    if (prompt) {
      prompt.endMs = endMs;
      prompt.frames += 1;
      prompt.heardMs += FRAME_MS;
      return;
    }
    if (this.prompts.size >= MAX_PROMPTS) {
      this.promptsDropped += 1;
      return;
    }
    this.prompts.set(promptId, { promptId, startMs, endMs, frames: 1, heardMs: FRAME_MS });
  }
}
