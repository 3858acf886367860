import { createInbox, headers as natsHeaders, type MsgHdrs, type Msg, type NatsConnection, type PubAck, type Subscription } from 'nats';
import { TurnBatch } from './turn-batch';

export interface PublishOptions {
  /** Dedupe id (`Nats-Msg-Id`): the stream stores a repeat within its duplicate window once. */
  msgID?: string;
  /** Compare-and-set on the subject (`Nats-Expected-Last-Subject-Sequence`; 0: the subject holds nothing yet). */
  expectedLastSubjectSequence?: number;
}

/** A message stored on a subject, as a direct get returns it. */
export interface StoredMessage {
  seq: number;
  /** When the stream stored it (the server's clock), in milliseconds since the epoch. */
  storedAtMs: number;
  data: Uint8Array;
  headers: MsgHdrs;
}

/** JetStream refused a request; `api_error` as the server sent it (the shape nats.js gives its own errors). */
export class JetStreamPipelineError extends Error {
  override readonly name = 'JetStreamPipelineError';

  constructor(
    message: string,
    readonly api_error?: { code: number; err_code: number; description: string },
  ) {
    super(message);
  }
}

interface Pending {
  resolve(msg: Msg): void;
  reject(error: Error): void;
  sentAtMs: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * JetStream publications and direct gets pipelined on one connection: every answer comes back to one inbox
 * subscription, and the requests asked for during a turn of the event loop go out together (one socket write).
 * nats.js instead makes each of them a request of its own (a reply entry, a timer, and error objects with stack
 * traces even on success), which under load cost more CPU than the work itself. Each caller still gets its own
 * answer or error; an answer that does not come within the timeout fails the request (a publication may still have
 * been stored: callers retry with the same message id or revision, as after a `js.publish` timeout).
 */
export class JetStreamPipeline {
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

  /** Stores `payload` on `subject` in the stream that takes it; resolves with the stream's ack. */
  async publish(subject: string, payload: string | Uint8Array, options: PublishOptions = {}): Promise<PubAck> {
    const reply = await this.request(subject, payload, publishHeaders(options));
    let ack: PubAck & { error?: { code: number; err_code: number; description: string } };
    try {
      ack = reply.json();
    } catch {
      throw new JetStreamPipelineError('JetStream answered a publication with something other than JSON');
    }
    if (ack.error) throw new JetStreamPipelineError(ack.error.description, ack.error);
    return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate === true, domain: ack.domain ?? '' };
  }

  /** The last message on `subject` in `stream` (a direct get: the stream must allow it, as KV buckets do); undefined when there is none. */
  async lastMessage(stream: string, subject: string): Promise<StoredMessage | undefined> {
    return storedMessage(await this.request(`$JS.API.DIRECT.GET.${stream}.${subject}`, new Uint8Array(0), undefined, [404]));
  }

  /**
   * The first message on `subject` that `stream` still holds (a direct get, as `lastMessage`); undefined when there is
   * none. Asked from the stream's first sequence on purpose: nats-server 2.10 and later then look the subject up in
   * their per-subject index and go straight to its first message, or answer 404 at once (`fileStore.LoadNextMsg`).
   * nats-server 2.9 has no such step and reads every message block's subject table, which on a long stream costs it
   * far more than the request; asking from a later sequence is no cure there, since inside a block it scans messages.
   */
  async firstMessage(stream: string, subject: string): Promise<StoredMessage | undefined> {
    return storedMessage(await this.request(`$JS.API.DIRECT.GET.${stream}`, JSON.stringify({ seq: 1, next_by_subj: subject }), undefined, [404]));
  }

  /** Fails what is still waiting for an answer and stops listening. */
  close(): void {
    this.closed = true;
    clearInterval(this.sweeper);
    this.subscription.unsubscribe();
    this.failAll(new Error('the JetStream pipeline was closed before the answer came'));
  }

  /** Resolves with the answer; a status other than those in `expected` (503: no stream took it) fails it. */
  private request(subject: string, payload: string | Uint8Array, headers: MsgHdrs | undefined, expected: number[] = []): Promise<Msg> {
    return new Promise<Msg>((resolve, reject) => {
      this.turn.defer(() => {
        if (this.closed) {
          reject(new Error('the JetStream pipeline is closed'));
          return;
        }
        const token = String(this.next++);
        try {
          this.nc.publish(subject, payload, { reply: `${this.inbox}.${token}`, headers });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        const answered = (msg: Msg) => {
          const status = msg.headers?.hasError ? msg.headers.code : undefined;
          if (status === undefined || expected.includes(status)) resolve(msg);
          else reject(new JetStreamPipelineError(status === 503 ? `no JetStream stream answered on ${subject} (503 no responders)` : `JetStream answered ${status} ${msg.headers?.description ?? ''}`));
        };
        this.pending.set(token, { resolve: answered, reject, sentAtMs: Date.now() });
      });
    });
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private answered(msg: Msg): void {
    const token = msg.subject.slice(this.inbox.length + 1);
    const pending = this.pending.get(token);
    if (!pending) return; // timed out already
    this.pending.delete(token);
    pending.resolve(msg);
  }

  /** Entries are in the order they were sent, so the sweep stops at the first that is young enough. */
  private sweep(): void {
    const oldest = Date.now() - this.timeoutMs;
    for (const [token, pending] of this.pending) {
      if (pending.sentAtMs > oldest) break;
      this.pending.delete(token);
      pending.reject(new JetStreamPipelineError(`no JetStream answer within ${this.timeoutMs} ms`));
    }
    if (this.nc.isClosed()) this.failAll(new Error('the NATS connection closed before the answer came'));
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

function publishHeaders(options: PublishOptions): MsgHdrs | undefined {
  if (options.msgID === undefined && options.expectedLastSubjectSequence === undefined) return undefined;
  const h = natsHeaders();
  if (options.msgID !== undefined) h.set('Nats-Msg-Id', options.msgID);
  if (options.expectedLastSubjectSequence !== undefined) h.set('Nats-Expected-Last-Subject-Sequence', String(options.expectedLastSubjectSequence));
  return h;
}

/** A direct get's answer; undefined for its 404 (no such message). */
function storedMessage(reply: Msg): StoredMessage | undefined {
  if (!reply.headers || reply.headers.hasError) return undefined;
  const headers = reply.headers;
  return { seq: Number(headers.get('Nats-Sequence')), storedAtMs: Date.parse(headers.get('Nats-Time-Stamp')), data: reply.data, headers };
}
