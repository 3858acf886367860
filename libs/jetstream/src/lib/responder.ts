import type { Msg, NatsConnection, Subscription } from 'nats';
import type { z } from 'zod';
import { errorText, type LogFn } from './log';

/** Why a request was refused before its handler saw it. */
export type RequestProblem = { kind: 'not-json'; message: string } | { kind: 'invalid'; message: string; error: z.ZodError };

/** The reply to a refused request when the responder names none: `{ ok: false, error, message }`. */
export interface ProblemReply {
  ok: false;
  error: 'not-json' | 'invalid' | 'failed';
  message: string;
}

export interface ResponderOptions<S extends z.ZodType, R> {
  /** The whole subject, namespace included (e.g. from `natsNames(namespace)`). */
  subject: string;
  /** Queue group: each request reaches one process of the service. */
  queue: string;
  schema: S;
  handle(request: z.output<S>, msg: Msg): Promise<R>;
  /** Reply to a request that is not JSON or fails the schema; nothing was carried out. */
  refuse?(problem: RequestProblem): R | ProblemReply;
  log: LogFn;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const describeIssues = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(payload)'}: ${i.message}`).join('; ');

/**
 * Request/reply on a subject chosen at run time (a namespace known at boot; Nest's `@MessagePattern` takes a fixed
 * one). Payloads are JSON checked against a zod schema; a bad one is answered with a clear error reply and changes
 * nothing. Every request is answered unless it came without a reply subject.
 */
export class Responder<S extends z.ZodType, R> {
  private subscription?: Subscription;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly options: ResponderOptions<S, R>,
  ) {}

  start(): void {
    this.subscription = this.nc.subscribe(this.options.subject, {
      queue: this.options.queue,
      callback: (error, msg) => {
        if (error) {
          this.options.log('error', 'responder subscription failed', { subject: this.options.subject, error: errorText(error) });
          return;
        }
        const answering = this.answer(msg);
        this.inFlight.add(answering);
        void answering.finally(() => this.inFlight.delete(answering));
      },
    });
  }

  /** Stops taking requests and lets the ones in progress answer. */
  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    if (subscription && !subscription.isClosed()) await subscription.drain().catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Never rejects. */
  private async answer(msg: Msg): Promise<void> {
    const reply = await this.replyTo(msg);
    if (!msg.reply) return; // published without a reply subject: carried out, but nobody to answer
    try {
      msg.respond(encoder.encode(JSON.stringify(reply)));
    } catch (error) {
      this.options.log('warn', 'reply not sent', { subject: msg.subject, error: errorText(error) });
    }
  }

  private async replyTo(msg: Msg): Promise<R | ProblemReply> {
    let payload: unknown;
    try {
      payload = JSON.parse(decoder.decode(msg.data));
    } catch {
      return this.refuse({ kind: 'not-json', message: 'invalid payload: not JSON' });
    }
    const parsed = this.options.schema.safeParse(payload);
    if (!parsed.success) return this.refuse({ kind: 'invalid', message: `invalid payload: ${describeIssues(parsed.error)}`, error: parsed.error });
    try {
      return await this.options.handle(parsed.data, msg);
    } catch (error) {
      this.options.log('error', 'request failed', { subject: msg.subject, error: errorText(error) });
      return { ok: false, error: 'failed', message: 'the request could not be carried out; see the service log' };
    }
  }

  private refuse(problem: RequestProblem): R | ProblemReply {
    try {
      if (this.options.refuse) return this.options.refuse(problem);
    } catch (error) {
      this.options.log('error', 'refusal reply failed', { subject: this.options.subject, error: errorText(error) });
    }
    return { ok: false, error: problem.kind, message: problem.message };
  }
}
