import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The receiver-side check of `Switchboard-Signature` exactly as the customer-webhooks README documents it:
 * HMAC-SHA256 of "<t>.<raw body>", compared in constant time, with a replay tolerance.
 */
export function verifySwitchboardSignature(header: string, rawBody: string, secret: string, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2)));
  const t = Number(parts['t']);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(parts['v1'] ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** One request the app received, as it arrived. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  rawBody: string;
  payload: Record<string, unknown>;
  signatureValid: boolean;
  at: number;
  /** When the app was done with the request (after any delay), whether or not the caller still waited. */
  doneAt?: number;
}

/** What the app does with a request: answer with a status and JSON body, optionally after a delay. */
export interface AppAnswer {
  status: number;
  body?: unknown;
  delayMs?: number;
}

/** A customer's app on loopback HTTP that flows call with the webhook verb; the test decides each answer. */
export class CustomerApp {
  readonly received: ReceivedRequest[] = [];

  private readonly server: Server;

  private constructor(
    private readonly secret: string,
    private readonly answer: (request: ReceivedRequest) => AppAnswer,
  ) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Listens on a free loopback port; `answer` decides what each correctly signed request gets back. */
  static async start(secret: string, answer: (request: ReceivedRequest) => AppAnswer): Promise<CustomerApp> {
    const app = new CustomerApp(secret, answer);
    await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
    return app;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const header = req.headers['switchboard-signature'];
    const request: ReceivedRequest = {
      path: req.url ?? '',
      headers: req.headers,
      rawBody,
      payload: JSON.parse(rawBody) as Record<string, unknown>,
      signatureValid: typeof header === 'string' && verifySwitchboardSignature(header, rawBody, this.secret),
      at: Date.now(),
    };
    this.received.push(request);
    // An app refuses what it cannot authenticate; the flow then takes its fallback.
    const reply = request.signatureValid ? this.answer(request) : { status: 401, body: { error: 'bad signature' } };
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (!res.destroyed) {
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    }
    request.doneAt = Date.now();
  }

  requestsOf(callId: string): ReceivedRequest[] {
    return this.received.filter((r) => r.payload['callId'] === callId);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
