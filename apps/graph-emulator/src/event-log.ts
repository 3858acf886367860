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

  /** Entries with `seq > since`, and the cursor to pass next time. */
  since(since: number): { items: (T & { seq: number })[]; next: number } {
    const items = this.items.filter((i) => i.seq > since);
    return { items, next: items.at(-1)?.seq ?? Math.max(since, 0) };
  }
}
