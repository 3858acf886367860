import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: { id: string; type: string; occurredAt: string; data: Record<string, unknown> };
  at: number;
  /** Status the receiver answered with. */
  status: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  delayMs?: number;
}

/** A local HTTP endpoint standing in for a customer's app: records every request, answers as the script says. */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Decides each answer; 200 unless a spec says otherwise. */
  script: (path: string, body: ReceivedRequest['body']) => Reply = () => ({ status: 200 });
  private server?: Server;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const body = JSON.parse(rawBody) as ReceivedRequest['body'];
        const path = req.url ?? '/';
        const reply = this.script(path, body);
        this.requests.push({ path, headers: req.headers, rawBody, body, at: Date.now(), status: reply.status });
        setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(reply.status, reply.headers).end();
        }, reply.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}${path}`;
  }

  /** Requests to `path` for event `eventId`, in arrival order. */
  for(path: string, eventId?: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path && (eventId === undefined || r.body.id === eventId));
  }

  async waitFor(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; received: ${this.requests.map((r) => `${r.path} ${r.body.type} ${r.body.id} -> ${r.status}`).join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
