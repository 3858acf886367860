import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { CallRegistry } from './call-registry';

export interface HttpEndpointsDeps {
  calls: CallRegistry;
  registry: Registry;
  /** Starts the drain (same as SIGTERM without the exit). */
  drain: () => void;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * The pod's HTTP side: /metrics, liveness/readiness, and the two endpoints the Kubernetes
 * preStop hook relies on: POST /drain, then GET /health/calls until activeCalls is 0.
 */
export function createHttpEndpoints(deps: HttpEndpointsDeps): Server {
  const { calls, registry } = deps;
  const routes: Record<string, Handler> = {
    'GET /health/live': (_req, res) => json(res, 200, { status: 'ok' }),
    'GET /health/ready': (_req, res) =>
      calls.isDraining
        ? json(res, 503, { status: 'error', checks: { draining: { status: 'error', error: 'pod is draining' } } })
        : json(res, 200, { status: 'ok', checks: { draining: { status: 'ok' } } }),
    'GET /health/calls': (_req, res) => json(res, 200, { activeCalls: calls.liveStreams, draining: calls.isDraining }),
    'POST /drain': (_req, res) => {
      deps.drain();
      json(res, 202, { draining: true, activeCalls: calls.liveStreams });
    },
    'GET /metrics': async (_req, res) => {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType }).end(body);
    },
  };
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const handler = routes[`${req.method} ${path}`];
    req.resume();
    if (!handler) {
      const known = Object.keys(routes).some((r) => r.endsWith(` ${path}`));
      json(res, known ? 405 : 404, { error: known ? `method ${req.method} not allowed on ${path}` : `no route ${path}` });
      return;
    }
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      json(res, 500, { error: err instanceof Error ? err.message : String(err) });
    });
  });
}
