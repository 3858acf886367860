/** Below this share of new calls, none is taken: a replica that can take so few is better off refusing them all. */
const MIN_SHARE = 1 / 32;
/** What the share grows by after each window whose waits were below half the limit. */
const SHARE_STEP = 0.2;

/**
 * Which share of new calls this replica takes. Its measure of load is how long Graph's notifications waited for
 * capacity: in the JetStream backlog, then for a slot in the replica (not behind their own call's previous input,
 * which is the call's pace, not the replica's). Past capacity that wait grows without bound, and callers of
 * established calls are the first to notice (the prompt comes late).
 *
 * After each window (1 s) whose longest wait exceeded `maxInputDelayMs`, the share halves; after each whose waits
 * stayed below half of it, it grows by a fifth of all calls, back to all; in between it holds. A new call outside the
 * share is refused (Graph `reject`, reason busy). Taking a share rather than all or nothing keeps the replica near its
 * capacity past it: all-or-nothing let a burst of new calls in each time the waits dropped, and the calls of that
 * burst missed their prompts when the waits rose again.
 */
export class AdmissionControl {
  private windowStartMs: number;
  private windowMaxMs = 0;
  /** The longest wait of the last full window. */
  private level = 0;
  private share = 1;

  constructor(
    private readonly options: {
      /** Wait above which fewer new calls are taken; 0 takes every call. */
      maxInputDelayMs: number;
      windowMs?: number;
      now?: () => number;
      /** Picks which new calls are taken while only a share is (tests fix it). */
      random?: () => number;
    },
  ) {
    this.windowStartMs = this.now();
  }

  /** A notification waited `waitMs` for capacity before being applied. */
  observe(waitMs: number): void {
    this.roll();
    this.windowMaxMs = Math.max(this.windowMaxMs, waitMs);
  }

  /** Whether to take the new call being decided: always below capacity; past it, a share of them. */
  admitting(): boolean {
    const share = this.admittedShare();
    return share >= 1 || (share > 0 && (this.options.random ?? Math.random)() < share);
  }

  /** The share of new calls taken now, from 0 to 1 (all). */
  admittedShare(): number {
    this.roll();
    return this.options.maxInputDelayMs <= 0 ? 1 : this.share;
  }

  /** The longest wait between storing and applying a notification over the last window, in milliseconds. */
  inputDelayMs(): number {
    this.roll();
    return Math.max(this.level, this.windowMaxMs);
  }

  private roll(): void {
    const now = this.now();
    const windowMs = this.options.windowMs ?? 1000;
    if (now - this.windowStartMs < windowMs) return;
    // A window without any input (idle, or everything stuck) keeps what the last one said only if it just ended.
    const justEnded = now - this.windowStartMs < 2 * windowMs;
    this.level = justEnded ? this.windowMaxMs : 0;
    this.windowMaxMs = 0;
    this.windowStartMs = now;
    const limit = this.options.maxInputDelayMs;
    if (!justEnded) this.share = 1;
    else if (this.level > limit) this.share = this.share / 2 < MIN_SHARE ? 0 : this.share / 2;
    else if (this.level < limit / 2) this.share = Math.min(1, this.share + SHARE_STEP);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
