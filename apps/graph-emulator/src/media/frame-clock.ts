import { performance } from 'node:perf_hooks';

/** A frame listener gets the clock's frame number (20 ms each since the clock started). */
export type FrameListener = (frame: number) => void;

/** After a stall longer than this, the frames missed are skipped instead of sent in a burst. */
const MAX_CATCH_UP_FRAMES = 10;

/**
 * One clock for every call's frames. Frame n is due at start + n × frameMs, and each timer is set for the next
 * due frame from that formula, so late timers never add up to drift (one setInterval per call would drift and
 * wake the process once per call). After a short stall the missed frames go out at once; after a long one they
 * are skipped and counted, as a real platform loses audio rather than delivering it late.
 */
export class FrameClock {
  private readonly listeners = new Set<FrameListener>();
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private frameNo = 0;
  private skippedFrames = 0;

  constructor(
    readonly frameMs = 20,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The last frame number handed out. */
  get frame(): number {
    return this.frameNo;
  }

  get skipped(): number {
    return this.skippedFrames;
  }

  add(listener: FrameListener): void {
    this.listeners.add(listener);
    if (this.timer === undefined) {
      this.startedAt = this.now() - this.frameNo * this.frameMs;
      this.schedule();
    }
  }

  remove(listener: FrameListener): void {
    this.listeners.delete(listener);
    if (this.listeners.size === 0) this.stop();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const due = this.startedAt + (this.frameNo + 1) * this.frameMs;
    this.timer = setTimeout(() => this.tick(), Math.max(0, due - this.now()));
  }

  private tick(): void {
    const reached = Math.floor((this.now() - this.startedAt) / this.frameMs);
    if (reached - this.frameNo > MAX_CATCH_UP_FRAMES) {
      this.skippedFrames += reached - this.frameNo - 1;
      this.frameNo = reached - 1;
    }
    while (this.frameNo < reached && this.listeners.size > 0) {
      this.frameNo += 1;
      // A listener may remove itself (its call ended) while the set is walked; Set iteration allows that.
      for (const listener of this.listeners) listener(this.frameNo);
    }
    if (this.listeners.size > 0) this.schedule();
    else this.timer = undefined;
  }
}
