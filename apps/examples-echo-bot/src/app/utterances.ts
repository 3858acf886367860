/** A call's mixed audio kept by stream time for the last `keepMs`, so an utterance can be cut out once it has ended. */
export class HeardAudio {
  private readonly frames = new Map<number, Buffer>();
  private newestMs = -1;
  private readonly waiters: { atMs: number; wake: () => void }[] = [];

  constructor(private readonly keepMs = 30_000) {}

  add(atMs: number, frame: Buffer): void {
    this.frames.set(atMs, frame);
    if (atMs > this.newestMs) this.newestMs = atMs;
    // Maps iterate in insertion order: the oldest frames are first.
    for (const at of this.frames.keys()) {
      if (at >= this.newestMs - this.keepMs) break;
      this.frames.delete(at);
    }
    // Per frame: most frames have no one waiting, so nothing is allocated for them.
    for (let i = 0; i < this.waiters.length; ) {
      const w = this.waiters[i];
      if (w.atMs > this.newestMs) i++;
      else {
        this.waiters.splice(i, 1);
        w.wake();
      }
    }
  }

  /** Resolves once the frame at `atMs` (or a later one) has arrived: events and frames travel apart. */
  heard(atMs: number): Promise<void> {
    if (atMs <= this.newestMs) return Promise.resolve();
    return new Promise((wake) => this.waiters.push({ atMs, wake }));
  }

  /** The frames from `fromMs` up to (not including) `toMs`, in order. */
  between(fromMs: number, toMs: number): Buffer[] {
    return [...this.frames].filter(([at]) => at >= fromMs && at < toMs).sort(([a], [b]) => a - b).map(([, f]) => f);
  }
}
