/** An append-only, sequence-numbered log with a bounded size, read incrementally with `since`. */
export class EventLog<T extends object> {
  private readonly items: (T & { seq: number })[] = [];
  private seq = 0;

  constructor(private readonly capacity = 10_000) {}

  append(item: T): T & { seq: number } {
    const entry = { ...item, seq: ++this.seq };
    this.items.push(entry);
    if (this.items.length > this.capacity) this.items.shift();
    return entry;
  }

  /**
   * Entries with `seq > since` (that `keep` accepts), and the cursor to pass next time; the cursor
   * moves past filtered-out entries too, so a filtered reader never rereads them.
   */
  since(since: number, keep: (item: T) => boolean = () => true): { items: (T & { seq: number })[]; next: number } {
    const newer = this.items.filter((i) => i.seq > since);
    return { items: newer.filter(keep), next: newer.at(-1)?.seq ?? Math.max(since, 0) };
  }
}
