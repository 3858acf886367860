import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

export const testTenantId = 'c0ffee00-0000-4000-8000-000000000001';
export const testClientId = 'b0b00000-0000-4000-8000-000000000002';

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as received (still percent-encoded). */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type FakeReply =
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  /** Destroys the socket without answering, as a dropped connection does. */
  | 'reset';

export type GraphHandler = (req: RecordedRequest) => FakeReply;

/**
 * One HTTPS server (self-signed, trusted through `ca`) playing both the Entra token endpoint of one tenant
 * and Graph under `/v1.0`. It records every request so tests can assert what was (not) sent.
 */
export class FakeGraphServer {
  readonly requests: RecordedRequest[] = [];
  /** Graph's behaviour; tests replace it, `reset()` restores it. */
  graph: GraphHandler = this.noGraphHandler;
  /** The token endpoint's behaviour; tests replace it, `reset()` restores it. */
  token: GraphHandler = this.issueToken;

  private readonly server: Server;
  private port = 0;

  private constructor(
    pems: { key: string; cert: string },
    readonly ca: string = pems.cert,
  ) {
    this.server = createServer(pems, (req, res) => this.handle(req, res));
  }

  static async start(): Promise<FakeGraphServer> {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      algorithm: 'sha256',
      keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
    });
    const fake = new FakeGraphServer({ key: pems.private, cert: pems.cert });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get origin(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      this.requests.push(recorded);
      const reply = recorded.url.includes('/oauth2/v2.0/token') ? this.token(recorded) : this.graph(recorded);
      if (reply === 'reset') {
        req.socket.destroy();
        return;
      }
      const send = () => {
        const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
        res.writeHead(reply.status, { ...(body ? { 'content-type': 'application/json' } : {}), ...reply.headers });
        res.end(body);
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs).unref();
      else send();
    });
  }

  get graphBaseUrl(): string {
    return `${this.origin}/v1.0`;
  }

  tokenRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.url.includes('/oauth2/v2.0/token'));
  }

  graphRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.url.startsWith('/v1.0/'));
  }

  /** Forgets recorded requests and restores the default handlers. */
  reset(): void {
    this.requests.length = 0;
    this.graph = this.noGraphHandler;
    this.token = this.issueToken;
  }

  private noGraphHandler(): FakeReply {
    return { status: 404, body: { error: { code: 'itemNotFound', message: 'no handler' } } };
  }

  /** `token-<n>` for the n-th token request, valid for an hour. */
  private issueToken(): FakeReply {
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: `token-${this.tokenRequests().length}` } };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The form fields of a token request body. */
export const formOf = (req: RecordedRequest): URLSearchParams => new URLSearchParams(req.body);
