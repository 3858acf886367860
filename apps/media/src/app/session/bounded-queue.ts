/**
 * What a full queue does with one more item:
 * - `drop-oldest`: the oldest item goes (real-time audio: late audio is worth less than current audio);
 * - `refuse`: the new item is not taken and the producer is told to wait (audio an app sends: slow it, lose none).
 * Items with a `coalesceKey` replace a queued item with the same key instead of queueing behind it (video: only
 * the newest frame of each source is worth sending).
 */
export type OverflowPolicy = 'drop-oldest' | 'refuse';

export interface BoundedQueueOptions<T> {
  capacity: number;
  policy: OverflowPolicy;
  coalesceKey?: (item: T) => string | number | undefined;
  /** An item left the queue without being taken: `dropped` (overflow) or `coalesced` (replaced by a newer one). */
  onDiscard?: (item: T, why: 'dropped' | 'coalesced') => void;
}

/**
 * A FIFO with a hard bound and an explicit overflow policy, so nothing between a network stream and a processor
 * grows without limit. A ring buffer: pushing and shifting allocate nothing.
 */
export class BoundedQueue<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly options: BoundedQueueOptions<T>) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) throw new RangeError(`queue capacity must be a positive integer, got ${options.capacity}`);
    this.items = new Array<T | undefined>(options.capacity);
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.options.capacity;
  }

  get isFull(): boolean {
    return this.count === this.options.capacity;
  }

  /** Queues `item`; false when the `refuse` policy turned it away. */
  push(item: T): boolean {
    const key = this.options.coalesceKey?.(item);
    if (key !== undefined) {
      for (let i = 0; i < this.count; i++) {
        const at = (this.head + i) % this.options.capacity;
        const queued = this.items[at] as T;
        if (this.options.coalesceKey?.(queued) === key) {
          this.items[at] = item;
          this.options.onDiscard?.(queued, 'coalesced');
          return true;
        }
      }
    }
    if (this.isFull) {
      if (this.options.policy === 'refuse') return false;
      const oldest = this.shift() as T;
      this.options.onDiscard?.(oldest, 'dropped');
    }
    this.items[(this.head + this.count) % this.options.capacity] = item;
    this.count++;
    return true;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.options.capacity;
    this.count--;
    if (this.waiters.length > 0 && this.count < this.options.capacity) this.waiters.shift()?.();
    return item;
  }

  /** Resolves once there is room (at once when there is). */
  whenRoom(): Promise<void> {
    if (!this.isFull) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Empties the queue, handing each item to `discard` if given, and wakes every waiting producer. */
  clear(discard?: (item: T) => void): void {
    for (let item = this.shift(); item !== undefined; item = this.shift()) discard?.(item);
    for (const wake of this.waiters.splice(0)) wake();
  }
}
