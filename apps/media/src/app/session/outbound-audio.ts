import { FRAME_BYTES, FRAME_MS, FRAME_SAMPLES, mixInto, pcm16View } from '@switchboard/media-dsp';
import type { OutboundAudioFrame } from '@switchboard/media-proto';
import type { BoundedQueue } from './bounded-queue';
import type { PromptPlayer } from './prompt-player';

/** 100-ns ticks per 20 ms frame (the platform's timestamp unit). */
const TICKS_PER_FRAME = 200_000n;
const TICKS_PER_MS = 10_000;
/** Frames sent ahead of the clock, so timer jitter never starves the platform (the bridge paces the rest). */
const LEAD_FRAMES = 2;

export interface PacerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: PacerClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * What the bot says into the call, 20 ms at a time on the wall clock: the current prompt's frame, mixed with the
 * audio the app sends (both may play at once), stamped with the session's time in 100-ns ticks. Runs only while
 * there is something to send; a new run continues the timeline, so timestamps only grow.
 */
export class OutboundAudio {
  private readonly promptFrame = new Int16Array(FRAME_SAMPLES);
  private timer: unknown;
  /** Wall-clock time (ms) at which the next frame plays; it only moves forward. */
  private playheadMs: number;
  private nextTicks = 0n;
  private readonly originMs: number;
  private stopped = false;

  constructor(
    private readonly player: PromptPlayer,
    private readonly appAudio: BoundedQueue<Buffer>,
    private readonly send: (frame: OutboundAudioFrame) => void,
    private readonly clock: PacerClock = realClock,
  ) {
    this.originMs = this.playheadMs = clock.now();
  }

  /** Something may be ready to send: start the clock if it is not running. */
  kick(): void {
    if (this.timer !== undefined || this.stopped) return;
    const now = this.clock.now();
    if (now > this.playheadMs) {
      // Idle since the last frame: the timeline jumps to now (timestamps keep growing, with the silence in them).
      this.playheadMs = now;
      const sinceOrigin = BigInt(Math.round((now - this.originMs) * TICKS_PER_MS));
      if (sinceOrigin > this.nextTicks) this.nextTicks = sinceOrigin;
    }
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    this.timer = undefined;
    const now = this.clock.now();
    // A frame may go once it plays within the lead: at most LEAD_FRAMES are ahead of the clock.
    while (this.playheadMs <= now + (LEAD_FRAMES - 1) * FRAME_MS) {
      if (!this.sendOne()) return; // idle: the next kick starts the clock again
      this.playheadMs += FRAME_MS;
    }
    const wait = this.playheadMs - (LEAD_FRAMES - 1) * FRAME_MS - now;
    this.timer = this.clock.setTimeout(() => this.tick(), Math.max(1, wait));
  }

  private sendOne(): boolean {
    const promptId = this.player.nextFrame(this.promptFrame);
    const app = this.appAudio.shift();
    if (promptId === undefined && app === undefined) return false;
    let data: Buffer;
    if (promptId === undefined) {
      data = app as Buffer;
    } else {
      if (app !== undefined) mixInto(this.promptFrame, pcm16View(app));
      data = Buffer.from(this.promptFrame.buffer.slice(0, FRAME_BYTES));
    }
    this.send({ data, timestampTicks: this.nextTicks, promptId: promptId ?? '' });
    this.nextTicks += TICKS_PER_FRAME;
    return true;
  }
}
