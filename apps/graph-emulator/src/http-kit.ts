import type { IncomingMessage, ServerResponse } from 'node:http';

/** Bodies above this are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** An HTTP failure with a machine-readable code; each API renders it in its own error shape. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string) => new HttpError(400, 'BadRequest', message);
export const notFound = (message: string) => new HttpError(404, 'ItemNotFound', message);
export const conflict = (message: string) => new HttpError(409, 'Conflict', message);

/** Reads the raw body, refusing more than `limit` bytes without buffering them. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new HttpError(413, 'RequestEntityTooLarge', `Request body exceeds ${limit} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw new HttpError(413, 'RequestEntityTooLarge', `Request body exceeds ${limit} bytes.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Parses a JSON body. An empty body is `undefined` (several Graph actions take none); anything
 * else must be declared as JSON and be well-formed.
 */
export function parseJsonBody(req: IncomingMessage, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  if (mediaType(req) !== 'application/json') {
    throw badRequest(`Content-Type must be application/json, got '${req.headers['content-type'] ?? ''}'.`);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw badRequest(`Malformed JSON body: ${(error as Error).message}`);
  }
}

/** Parses an application/x-www-form-urlencoded body (the OAuth token endpoint). */
export function parseFormBody(req: IncomingMessage, raw: Buffer): URLSearchParams {
  if (mediaType(req) !== 'application/x-www-form-urlencoded') {
    throw badRequest('Content-Type must be application/x-www-form-urlencoded.');
  }
  return new URLSearchParams(raw.toString('utf8'));
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-length': 0 });
  res.end();
}

/** Graph's error shape: `{error:{code,message,innerError:{request-id,date,client-request-id}}}`. */
export function graphErrorBody(error: HttpError, requestId: string, clientRequestId?: string) {
  return {
    error: {
      code: error.code,
      message: error.message,
      innerError: {
        date: new Date().toISOString().replace(/\.\d+Z$/, ''),
        'request-id': requestId,
        'client-request-id': clientRequestId ?? requestId,
      },
    },
  };
}

export interface RouteMatch<C> {
  handler: RouteHandler<C>;
  params: Record<string, string>;
}

export type RouteHandler<C> = (ctx: C, params: Record<string, string>) => Promise<void> | void;

interface Route<C> {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler<C>;
}

/** A tiny method + path router: `/calls/:id/answer` style patterns, one segment per parameter. */
export class Router<C> {
  private readonly routes: Route<C>[] = [];

  on(method: string, path: string, handler: RouteHandler<C>): this {
    const names: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`, 'i'), names, handler });
    return this;
  }

  /** The matching route, `'method'` when only the method is wrong, or undefined when none. */
  match(method: string, path: string): RouteMatch<C> | 'method' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')]));
      return { handler: route.handler, params };
    }
    return pathMatched ? 'method' : undefined;
  }
}
