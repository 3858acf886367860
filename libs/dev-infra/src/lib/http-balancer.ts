import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A round-robin HTTP load balancer for local runs and tests with several signaling replicas: what an ingress does
 * in a cluster. A replica that refuses the connection (killed, restarting) is skipped for the next one.
 */
export class HttpBalancer {
  private next = 0;
  private server?: Server;
  url = '';

  constructor(private readonly upstreams: () => string[]) {}

  async listen(port = 0): Promise<string> {
    const server = createServer((req, res) => void this.forward(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const address = server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
    return this.url;
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const upstreams = this.upstreams();
    for (let tried = 0; tried < upstreams.length; tried++) {
      const target = upstreams[this.next++ % upstreams.length];
      try {
        const answer = await send(target, req, body);
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
        return;
      } catch {
        // connection refused or reset before an answer: try the next replica
      }
    }
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'no signaling replica answered' }));
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

function send(base: string, req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const url = new URL(req.url ?? '/', base);
    const headers = { ...req.headers, host: url.host, 'content-length': String(body.length) };
    const out = request(url, { method: req.method, headers }, (answer) => {
      const parts: Buffer[] = [];
      answer.on('data', (c: Buffer) => parts.push(c));
      answer.on('end', () => {
        const { connection: _c, 'transfer-encoding': _t, ...rest } = answer.headers;
        resolve({ status: answer.statusCode ?? 502, headers: rest as Record<string, string | string[]>, body: Buffer.concat(parts) });
      });
      answer.on('error', reject);
    });
    out.on('error', reject);
    out.end(body);
  });
}
