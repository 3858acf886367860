import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CHART_DIR } from './lib/paths';

/** Runs the chart's preStop drain script against a real HTTP server standing in for a media pod. */
const SCRIPT = join(CHART_DIR, 'files/media-drain.js');

interface FakePod {
  server: Server;
  port: number;
  requests: string[];
}

async function startPod(handler: (req: IncomingMessage, res: ServerResponse, requests: string[]) => void): Promise<FakePod> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res, requests);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, requests };
}

function runScript(port: number, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Poll interval 0 s keeps the test fast; the kill emulates the grace period running out.
    const env = { ...process.env, HTTP_PORT: String(port), DRAIN_POLL_SECONDS: '0' };
    execFile(process.execPath, [SCRIPT], { env, timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

describe('files/media-drain.js (media preStop)', () => {
  let pod: FakePod | undefined;
  afterEach(async () => {
    await new Promise((resolve) => pod?.server.close(resolve));
    pod = undefined;
  });

  it('starts draining, then waits until the last call has ended', async () => {
    let active = 3;
    pod = await startPod((req, res) => {
      if (req.method === 'POST' && req.url === '/drain') return json(res, 202, { draining: true });
      if (req.method === 'GET' && req.url === '/health/calls') return json(res, 200, { activeCalls: active--, draining: true });
      json(res, 404, {});
    });
    const result = await runScript(pod.port, 10_000);
    expect(result.code).toBe(0);
    expect(pod.requests).toEqual(['POST /drain', 'GET /health/calls', 'GET /health/calls', 'GET /health/calls', 'GET /health/calls']);
    expect(result.stdout).toContain('no active calls');
  });

  it('retries the drain request until the pod accepts it', async () => {
    let refusals = 2;
    pod = await startPod((req, res) => {
      if (req.url === '/drain') return json(res, refusals-- > 0 ? 503 : 202, {});
      json(res, 200, { activeCalls: 0, draining: true });
    });
    const result = await runScript(pod.port, 10_000);
    expect(result.code).toBe(0);
    expect(pod.requests).toEqual(['POST /drain', 'POST /drain', 'POST /drain', 'GET /health/calls']);
    expect(result.stderr).toContain('POST /drain answered 503');
  });

  it('keeps waiting (never stops early) while the call count is missing or malformed', async () => {
    pod = await startPod((req, res) => {
      if (req.url === '/drain') return json(res, 202, {});
      json(res, 200, { draining: true });
    });
    const result = await runScript(pod.port, 1_500);
    expect(result.code).not.toBe(0);
    expect(pod.requests.filter((r) => r === 'GET /health/calls').length).toBeGreaterThan(1);
    expect(result.stderr).toContain('gave no activeCalls count');
  });
});
