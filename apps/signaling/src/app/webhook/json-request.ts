import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseJsonSafely } from 'secure-json-parse';

/** A request refused before it reaches the handler's logic: the status and message the client gets. */
export class HttpRefusal extends Error {
  override readonly name = 'HttpRefusal';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  503: 'Service Unavailable',
};

/**
 * Reads a JSON request body of at most `limitBytes`, as Fastify's own parser would: 415 for another content type,
 * 413 past the limit (from `content-length` before reading, or while reading), 400 for malformed JSON or JSON that
 * would set `__proto__` or `constructor.prototype`.
 */
export function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const contentType = req.headers['content-type'];
  if (!contentType || !/^application\/json\s*(;|$)/i.test(contentType)) {
    return Promise.reject(new HttpRefusal(415, `expected content-type application/json, got ${contentType ? `'${contentType}'` : 'none'}`));
  }
  if (Number(req.headers['content-length']) > limitBytes) return Promise.reject(tooLarge(limitBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > limitBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge(limitBytes));
      } else chunks.push(chunk);
    });
    req.once('error', reject);
    req.once('end', () => {
      if (length > limitBytes) return;
      try {
        resolve(parseJsonSafely(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length), null, { protoAction: 'error', constructorAction: 'error' }));
      } catch (error) {
        reject(new HttpRefusal(400, `the body is not acceptable JSON: ${(error as Error).message}`));
      }
    });
  });
}

/** Answers with `status` and, when given, `body` as JSON. */
export function sendJson(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status, { 'content-length': '0' });
    res.end();
    return;
  }
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

/** The error body the services' Nest routes answer with, so every refusal reads the same. */
export function sendRefusal(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { statusCode: status, error: REASONS[status] ?? 'Error', message });
}

function tooLarge(limitBytes: number): HttpRefusal {
  return new HttpRefusal(413, `the body is larger than ${limitBytes} bytes`);
}
