import { parseHttpsUrl } from './authority';
import { CallsClient } from './calls-client';
import { createGraphDispatcher, type GraphTlsOptions } from './dispatcher';
import { GraphConfigError, stringField } from './errors';
import { GraphHttp, type GraphRequestMetric } from './http';
import { OnlineMeetingsClient } from './online-meetings-client';
import { defaultRetryOptions, type RetryOptions } from './retry-policy';
import { defaultAuthorityHost, MsalTokenProvider, type GraphCredential, type TokenProvider } from './token-provider';

export const defaultGraphBaseUrl = 'https://graph.microsoft.com/v1.0';
export const defaultTimeoutMs = 10_000;

export interface GraphClientConfig {
  /** Default `https://graph.microsoft.com/v1.0`; the emulator's `https://host:port/v1.0` locally. */
  graphBaseUrl?: string;
  /** Default `https://login.microsoftonline.com`. */
  authorityHost?: string;
  tenantId: string;
  clientId: string;
  credential: GraphCredential;
  /** Default `https://graph.microsoft.com/.default`. */
  scope?: string;
  /** Deadline of one HTTP request (token or Graph), default 10 s. */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  tls?: GraphTlsOptions;
  /** Called once per Graph request after its last attempt (for metrics); must not throw. */
  onRequest?: (metric: GraphRequestMetric) => void;
}

export interface GraphClient {
  calls: CallsClient;
  onlineMeetings: OnlineMeetingsClient;
  tokens: TokenProvider;
  /** Closes the connection pool; requests after this fail. */
  close(): Promise<void>;
}

export function createGraphClient(config: GraphClientConfig): GraphClient {
  const graphBaseUrl = parseHttpsUrl(config.graphBaseUrl ?? defaultGraphBaseUrl, 'graphBaseUrl').href;
  const timeoutMs = config.timeoutMs ?? defaultTimeoutMs;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new GraphConfigError(`timeoutMs must be a positive integer, got ${timeoutMs}`);
  const retry = { ...defaultRetryOptions, ...config.retry };
  for (const [name, value] of Object.entries(retry)) {
    if (!Number.isInteger(value) || value < 0) throw new GraphConfigError(`retry.${name} must be a non-negative integer, got ${value}`);
  }

  const dispatcher = createGraphDispatcher(config.tls);
  const tokens = closingOnError(dispatcher, () => new MsalTokenProvider({
    authorityHost: config.authorityHost ?? defaultAuthorityHost,
    tenantId: config.tenantId,
    clientId: config.clientId,
    credential: config.credential,
    scope: config.scope,
    timeoutMs,
    dispatcher,
  }));
  const http = new GraphHttp({ baseUrl: graphBaseUrl, tokens, dispatcher, timeoutMs, retry, onRequest: config.onRequest });
  return {
    calls: new CallsClient(http),
    onlineMeetings: new OnlineMeetingsClient(http),
    tokens,
    close: () => dispatcher.close(),
  };
}

/** A pool made for a client that then fails to configure is closed, not leaked. */
function closingOnError<T>(dispatcher: { close(): Promise<void> }, build: () => T): T {
  try {
    return build();
  } catch (error) {
    void dispatcher.close();
    throw error;
  }
}

export type GraphTokenCheck =
  | { ok: true; expiresOn?: Date; fromCache: boolean }
  | { ok: false; error: string };

/** For `/health/ready`: can a Graph token be had right now? Never throws and never returns the token. */
export async function checkGraphToken(client: Pick<GraphClient, 'tokens'>): Promise<GraphTokenCheck> {
  try {
    const { expiresOn, fromCache } = await client.tokens.getToken();
    return { ok: true, expiresOn, fromCache };
  } catch (error) {
    return { ok: false, error: stringField(error, 'message') ?? String(error) };
  }
}

/** A readiness check (for a health registry) that fails, with the reason, while no Graph token can be had. */
export const graphTokenReadiness = (client: Pick<GraphClient, 'tokens'>) => async (): Promise<void> => {
  const check = await checkGraphToken(client);
  if (!check.ok) throw new Error(check.error);
};
