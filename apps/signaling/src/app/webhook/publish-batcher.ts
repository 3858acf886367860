import type { JetStreamClient, PubAck } from 'nats';

interface Pending {
  subject: string;
  payload: string;
  msgID: string;
  resolve(ack: PubAck): void;
  reject(error: unknown): void;
}

/**
 * Sends the JetStream publications asked for during one turn of the event loop together, in the turn's check phase.
 * The NATS client writes its buffer to the socket once per turn in which something was sent, and each callback
 * request is a turn of its own: under load that was a socket write per request, the largest single cost of the
 * intake. Gathered, the publications of all requests read in one turn share a write, and their acks come back
 * together. Each caller still gets its own ack (or error).
 */
export class PublishBatcher {
  private queue: Pending[] = [];

  constructor(private readonly js: JetStreamClient) {}

  publish(subject: string, payload: string, msgID: string): Promise<PubAck> {
    return new Promise<PubAck>((resolve, reject) => {
      if (this.queue.push({ subject, payload, msgID, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    for (const p of batch) this.js.publish(p.subject, p.payload, { msgID: p.msgID }).then(p.resolve, p.reject);
  }
}
