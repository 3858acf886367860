import { createInbox, headers as natsHeaders, type Msg, type NatsConnection, type PubAck, type Subscription } from 'nats';
import { TurnBatch } from './turn-batch';

export interface PublishOptions {
  /** Dedupe id (`Nats-Msg-Id`): the stream stores a repeat within its duplicate window once. */
  msgID?: string;
  /** Compare-and-set on the subject (`Nats-Expected-Last-Subject-Sequence`; 0: the subject holds nothing yet). */
  expectedLastSubjectSequence?: number;
}

/** JetStream refused a publication; `api_error` as the server sent it (the shape nats.js gives its own errors). */
export class JetStreamPublishError extends Error {
  override readonly name = 'JetStreamPublishError';

  constructor(
    message: string,
    readonly api_error?: { code: number; err_code: number; description: string },
  ) {
    super(message);
  }
}

interface Pending {
  resolve(ack: PubAck): void;
  reject(error: Error): void;
  sentAtMs: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * JetStream publications pipelined on one connection: every ack comes back to one inbox subscription, and the
 * publications asked for during a turn of the event loop go out together (one socket write). `js.publish` instead
 * makes each publication a request of its own (a reply subscription entry, a timer and two error objects with stack
 * traces each), which cost more CPU than the publication under load. Each caller still gets its own ack or error;
 * an ack that does not come within the timeout fails the publication (it may still be stored: callers retry with
 * the same message id or revision, as they would after `js.publish` timed out).
 */
export class JetStreamPublisher {
  private readonly inbox = createInbox();
  private readonly pending = new Map<string, Pending>();
  private readonly turn = new TurnBatch();
  private readonly subscription: Subscription;
  private readonly sweeper: NodeJS.Timeout;
  private next = 0;
  private closed = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly options: { timeoutMs?: number } = {},
  ) {
    this.subscription = nc.subscribe(`${this.inbox}.*`, { callback: (error, msg) => error || this.answered(msg) });
    this.sweeper = setInterval(() => this.sweep(), Math.max(50, this.timeoutMs / 5));
    this.sweeper.unref();
  }

  publish(subject: string, payload: string | Uint8Array, options: PublishOptions = {}): Promise<PubAck> {
    return new Promise<PubAck>((resolve, reject) => {
      this.turn.defer(() => {
        if (this.closed) {
          reject(new Error('the JetStream publisher is closed'));
          return;
        }
        const token = String(this.next++);
        try {
          this.nc.publish(subject, payload, { reply: `${this.inbox}.${token}`, headers: publishHeaders(options) });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        this.pending.set(token, { resolve, reject, sentAtMs: Date.now() });
      });
    });
  }

  /** Fails what is still waiting for an ack and stops listening. */
  close(): void {
    this.closed = true;
    clearInterval(this.sweeper);
    this.subscription.unsubscribe();
    this.failAll(new Error('the JetStream publisher was closed before the ack came'));
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private answered(msg: Msg): void {
    const token = msg.subject.slice(this.inbox.length + 1);
    const pending = this.pending.get(token);
    if (!pending) return; // timed out already
    this.pending.delete(token);
    if (msg.headers?.hasError) {
      const status = msg.headers.code;
      pending.reject(new JetStreamPublishError(status === 503 ? 'no JetStream stream answered for the subject (503 no responders)' : `JetStream answered ${status} ${msg.headers.description}`));
      return;
    }
    let ack: PubAck & { error?: { code: number; err_code: number; description: string } };
    try {
      ack = msg.json();
    } catch {
      pending.reject(new JetStreamPublishError('JetStream answered a publication with something other than JSON'));
      return;
    }
    if (ack.error) pending.reject(new JetStreamPublishError(ack.error.description, ack.error));
    else pending.resolve({ stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate === true, domain: ack.domain ?? '' });
  }

  /** Entries are in the order they were sent, so the sweep stops at the first that is young enough. */
  private sweep(): void {
    const oldest = Date.now() - this.timeoutMs;
    for (const [token, pending] of this.pending) {
      if (pending.sentAtMs > oldest) break;
      this.pending.delete(token);
      pending.reject(new JetStreamPublishError(`no JetStream ack within ${this.timeoutMs} ms`));
    }
    if (this.nc.isClosed()) this.failAll(new Error('the NATS connection closed before the ack came'));
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

function publishHeaders(options: PublishOptions) {
  if (options.msgID === undefined && options.expectedLastSubjectSequence === undefined) return undefined;
  const h = natsHeaders();
  if (options.msgID !== undefined) h.set('Nats-Msg-Id', options.msgID);
  if (options.expectedLastSubjectSequence !== undefined) h.set('Nats-Expected-Last-Subject-Sequence', String(options.expectedLastSubjectSequence));
  return h;
}
