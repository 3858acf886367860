/**
 * Runs the work asked for during one turn of the event loop together, in that turn's check phase (`setImmediate`).
 * nats.js writes its outbound buffer to the socket in a microtask queued by the first command after a write, so
 * commands issued from many promise continuations (each request's or message's own) cost a socket write each; issued
 * from one loop, they share one. Under load that write was the largest single cost of the webhook and the consumer.
 * Each piece of work must handle its own errors.
 */
export class TurnBatch {
  private queue: (() => void)[] = [];

  defer(work: () => void): void {
    if (this.queue.push(work) === 1) setImmediate(() => this.run());
  }

  /** Resolves once the work deferred so far has run. */
  drained(): Promise<void> {
    return this.queue.length === 0 ? Promise.resolve() : new Promise((resolve) => this.defer(resolve));
  }

  private run(): void {
    const batch = this.queue;
    this.queue = [];
    for (const work of batch) work();
  }
}
