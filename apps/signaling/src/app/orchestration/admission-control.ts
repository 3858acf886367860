/**
 * Whether this replica takes new calls. Its measure of load is how long Graph's notifications waited for capacity:
 * in the JetStream backlog, then for a slot in the replica (not behind their own call's previous input, which is the
 * call's pace, not the replica's). Past capacity that wait grows without bound, and callers of established calls are
 * the first to notice (the prompt comes late). While the longest wait seen in the last window exceeds
 * `maxInputDelayMs`, new calls are refused (Graph `reject`, reason busy) so that the calls already taken keep being
 * served; the replica admits again once waits are below half of it.
 */
export class AdmissionControl {
  private windowStartMs: number;
  private windowMaxMs = 0;
  /** The longest wait of the last full window. */
  private level = 0;
  private refusing = false;

  constructor(
    private readonly options: {
      /** Wait above which new calls are refused; 0 never refuses. */
      maxInputDelayMs: number;
      windowMs?: number;
      now?: () => number;
    },
  ) {
    this.windowStartMs = this.now();
  }

  /** A notification waited `waitMs` for capacity before being applied. */
  observe(waitMs: number): void {
    this.roll();
    this.windowMaxMs = Math.max(this.windowMaxMs, waitMs);
  }

  /** False while over capacity: a new call is to be refused. */
  admitting(): boolean {
    this.roll();
    if (this.options.maxInputDelayMs <= 0) return true;
    if (this.refusing && this.level < this.options.maxInputDelayMs / 2) this.refusing = false;
    else if (!this.refusing && this.level > this.options.maxInputDelayMs) this.refusing = true;
    return !this.refusing;
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
    this.level = now - this.windowStartMs < 2 * windowMs ? this.windowMaxMs : 0;
    this.windowMaxMs = 0;
    this.windowStartMs = now;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
