/** Every error this client throws extends this, so callers can tell Graph failures from their own bugs. */
export class GraphClientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The configuration cannot work (bad URL, missing credential, unreadable certificate file). */
export class GraphConfigError extends GraphClientError {}

/** A request was refused before anything was sent (bad body or id); `field` names what was wrong. */
export class GraphRequestError extends GraphClientError {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** Token acquisition failed; `errorCode` is msal's (e.g. `invalid_client`, `network_error`). */
export class GraphAuthError extends GraphClientError {
  constructor(
    message: string,
    readonly errorCode: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Where a failed Graph request went; carried by the errors below for logs and support tickets. */
export interface GraphRequestInfo {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  clientRequestId: string;
}

/** The request did not complete within the configured time. It is not retried: the outcome is unknown. */
export class GraphTimeoutError extends GraphClientError {
  constructor(
    readonly request: GraphRequestInfo,
    readonly timeoutMs: number,
  ) {
    super(`${request.method} ${request.path} timed out after ${timeoutMs} ms (client-request-id ${request.clientRequestId})`);
  }
}

/** The connection failed (refused, reset, TLS) and retries, if allowed, did not help. */
export class GraphNetworkError extends GraphClientError {
  constructor(
    readonly request: GraphRequestInfo,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(`${request.method} ${request.path} failed: ${code} (client-request-id ${request.clientRequestId})`, options);
  }
}

export interface GraphErrorDetails extends GraphRequestInfo {
  status: number;
  /** Graph's `error.code` (e.g. `itemNotFound`), or `unknown` when the body had none. */
  code: string;
  graphMessage: string;
  requestId?: string;
}

/** Graph answered with a non-2xx status. */
export class GraphError extends GraphClientError {
  readonly status: number;
  readonly code: string;
  readonly graphMessage: string;
  readonly requestId?: string;
  readonly clientRequestId: string;
  readonly method: GraphRequestInfo['method'];
  readonly path: string;

  constructor(details: GraphErrorDetails) {
    const ids = [details.requestId && `request-id ${details.requestId}`, `client-request-id ${details.clientRequestId}`]
      .filter(Boolean)
      .join(', ');
    super(`${details.method} ${details.path} failed with ${details.status} ${details.code}: ${details.graphMessage} (${ids})`);
    this.status = details.status;
    this.code = details.code;
    this.graphMessage = details.graphMessage;
    this.requestId = details.requestId;
    this.clientRequestId = details.clientRequestId;
    this.method = details.method;
    this.path = details.path;
  }
}

/** Graph answered 2xx with a body that does not match the expected shape. */
export class GraphResponseError extends GraphClientError {
  constructor(
    readonly request: GraphRequestInfo,
    readonly status: number,
    problem: string,
  ) {
    super(`${request.method} ${request.path} answered ${status} with an unexpected body: ${problem}`);
  }
}

/**
 * A string property of any thrown value. Duck-typed rather than `instanceof Error`, because errors from
 * Node's core (fs, net) come from another realm under test runners and fail that check.
 */
export function stringField(error: unknown, key: 'code' | 'errorCode' | 'message' | 'name'): string | undefined {
  if (typeof error !== 'object' || error === null || !(key in error)) return undefined;
  const value = (error as Record<string, unknown>)[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
