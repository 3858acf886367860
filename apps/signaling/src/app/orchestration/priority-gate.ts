/** `urgent`: a new call waiting for its answer (Graph gives up after 15 s); `normal`: everything about calls already up. */
export type Lane = 'urgent' | 'normal';

/**
 * Lets at most `slots` tasks run at once; when a slot frees up, a waiting urgent task goes before any normal one
 * (first come, first served within a lane). A replica holds more inputs than it runs, so a new call that arrives
 * behind a backlog of prompts and tones for established calls is answered (or refused) first.
 */
export class PriorityGate {
  private running = 0;
  private readonly waiting: Record<Lane, (() => void)[]> = { urgent: [], normal: [] };

  constructor(private readonly slots: number) {}

  async run<T>(lane: Lane, task: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots || this.waiting.urgent.length || this.waiting.normal.length) {
      await new Promise<void>((resolve) => this.waiting[lane].push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** Tasks waiting for a slot, by lane: the replica's backlog. */
  backlog(): Record<Lane, number> {
    return { urgent: this.waiting.urgent.length, normal: this.waiting.normal.length };
  }

  /** Hands the slot straight to the next waiting task, urgent first, or frees it. */
  private release(): void {
    const next = this.waiting.urgent.shift() ?? this.waiting.normal.shift();
    if (next) next();
    else this.running -= 1;
  }
}
