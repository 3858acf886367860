import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';
import {
  GraphError,
  GraphNetworkError,
  GraphRequestError,
  GraphResponseError,
  GraphTimeoutError,
  stringField,
  type GraphRequestInfo,
} from './errors';
import { flattenHeaders } from './headers';
import { retryableNetworkCodes, retryableStatuses, retryDelayMs, type RetryOptions } from './retry-policy';
import type { TokenProvider } from './token-provider';

export type GraphMethod = GraphRequestInfo['method'];

export interface GraphRequest {
  method: GraphMethod;
  /** Path below the base URL with `{name}` placeholders, e.g. `/communications/calls/{callId}`; also the metrics label. */
  route: string;
  /** Placeholder values; each is URL-encoded into its segment. */
  params?: Record<string, string>;
  /** Query parameters; names are sent as written (`$filter`), values URL-encoded. */
  query?: Record<string, string>;
  /** An `@odata.nextLink` to follow instead of `route`; it must point below the base URL (the token goes with it). */
  nextLink?: string;
  body?: unknown;
}

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, or undefined for an empty body (202/204). */
  body: unknown;
  /** What was sent, for errors raised while reading the body. */
  request: GraphRequestInfo;
}

/** One completed logical request (after its retries), for metrics. Never carries bodies or tokens. */
export interface GraphRequestMetric {
  method: GraphMethod;
  route: string;
  /** Final HTTP status; undefined when no response came (timeout, network error). */
  status?: number;
  outcome: 'ok' | 'graph_error' | 'timeout' | 'network_error';
  durationMs: number;
  attempts: number;
}

export interface GraphHttpOptions {
  baseUrl: string;
  tokens: TokenProvider;
  dispatcher: Dispatcher;
  timeoutMs: number;
  retry: RetryOptions;
  onRequest?: (metric: GraphRequestMetric) => void;
}

type Attempt =
  | { kind: 'response'; status: number; headers: Record<string, string>; text: string }
  | { kind: 'timeout' }
  | { kind: 'network'; code: string; cause: unknown };

/** JSON over HTTPS to Graph: bearer token, client-request-id, deadline and bounded retries. */
export class GraphHttp {
  private readonly baseUrl: string;

  constructor(private readonly options: GraphHttpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async send(req: GraphRequest): Promise<GraphResponse> {
    const path = req.nextLink !== undefined ? this.pathOfNextLink(req.nextLink) : expandRoute(req.route, req.params ?? {}) + queryString(req.query);
    // One id for all attempts, so Graph (and its support) can tie the retries together.
    const info: GraphRequestInfo = { method: req.method, path, clientRequestId: randomUUID() };
    const started = performance.now();
    let attempts = 0;
    const report = (outcome: GraphRequestMetric['outcome'], status?: number) =>
      this.report({ method: req.method, route: req.route, status, outcome, attempts, durationMs: performance.now() - started });

    for (;;) {
      attempts += 1;
      const attempt = await this.attempt(info, req.body);
      const retriesLeft = attempts <= this.options.retry.maxRetries;
      if (attempt.kind === 'timeout') {
        report('timeout');
        throw new GraphTimeoutError(info, this.options.timeoutMs);
      }
      if (attempt.kind === 'network') {
        if (retriesLeft && retryableNetworkCodes.has(attempt.code)) {
          await sleep(retryDelayMs(attempts, undefined, this.options.retry));
          continue;
        }
        report('network_error');
        throw new GraphNetworkError(info, attempt.code, { cause: attempt.cause });
      }
      if (attempt.status >= 200 && attempt.status < 300) {
        report('ok', attempt.status);
        return { status: attempt.status, headers: attempt.headers, body: parseSuccessBody(attempt.text, attempt.status, info), request: info };
      }
      if (retriesLeft && retryableStatuses.has(attempt.status)) {
        await sleep(retryDelayMs(attempts, attempt.headers['retry-after'], this.options.retry));
        continue;
      }
      report('graph_error', attempt.status);
      throw graphErrorOf(attempt.status, attempt.headers, attempt.text, info);
    }
  }

  private pathOfNextLink(nextLink: string): string {
    if (!nextLink.startsWith(`${this.baseUrl}/`)) {
      throw new GraphRequestError(`@odata.nextLink does not point below ${this.baseUrl}; it is not followed`, '@odata.nextLink');
    }
    return nextLink.slice(this.baseUrl.length);
  }

  private async attempt(info: GraphRequestInfo, body: unknown): Promise<Attempt> {
    const { token } = await this.options.tokens.getToken();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const response = await request(this.baseUrl + info.path, {
        method: info.method,
        dispatcher: this.options.dispatcher,
        signal: controller.signal,
        headers: {
          authorization: `Bearer ${token}`,
          'client-request-id': info.clientRequestId,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.body.text();
      return { kind: 'response', status: response.statusCode, headers: flattenHeaders(response.headers), text };
    } catch (error) {
      if (controller.signal.aborted) return { kind: 'timeout' };
      return { kind: 'network', code: networkCodeOf(error), cause: error };
    } finally {
      clearTimeout(timer);
    }
  }

  private report(metric: GraphRequestMetric): void {
    try {
      this.options.onRequest?.(metric);
    } catch {
      // A failing metrics hook must not turn a Graph success into a failure.
    }
  }
}

export function expandRoute(route: string, params: Record<string, string>): string {
  return route.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new GraphRequestError(`${name} must be a non-empty string, got ${JSON.stringify(value)}`, name);
    }
    return encodeURIComponent(value);
  });
}

function queryString(query: Record<string, string> | undefined): string {
  const entries = Object.entries(query ?? {});
  return entries.length === 0 ? '' : '?' + entries.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

/** The first `code` along the cause chain (undici wraps socket errors), else the error's name. */
function networkCodeOf(error: unknown): string {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = stringField(e, 'code');
    if (code) return code;
  }
  return stringField(error, 'name') ?? 'unknown';
}

function parseSuccessBody(text: string, status: number, info: GraphRequestInfo): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new GraphResponseError(info, status, 'body is not JSON');
  }
}

interface GraphErrorBody {
  error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown>; innererror?: Record<string, unknown> };
}

/** Graph's `{ error: { code, message, innerError: { request-id } } }`, tolerating bodies that are not. */
function graphErrorOf(status: number, headers: Record<string, string>, text: string, info: GraphRequestInfo): GraphError {
  let parsed: GraphErrorBody = {};
  try {
    parsed = (JSON.parse(text) as GraphErrorBody) ?? {};
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): the status alone has to do.
  }
  const error = typeof parsed === 'object' ? parsed.error : undefined;
  const inner = error?.innerError ?? error?.innererror;
  const innerRequestId = inner?.['request-id'] ?? inner?.['requestId'];
  return new GraphError({
    ...info,
    status,
    code: typeof error?.code === 'string' && error.code ? error.code : 'unknown',
    graphMessage: typeof error?.message === 'string' && error.message ? error.message : `HTTP ${status}`,
    requestId: headers['request-id'] ?? (typeof innerRequestId === 'string' ? innerRequestId : undefined),
  });
}
