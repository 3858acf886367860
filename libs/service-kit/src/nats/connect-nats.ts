import { connect, NatsConnection } from 'nats';

/** Boot could not reach NATS; the message says where it tried and why it failed. */
export class NatsConnectError extends Error {
  override readonly name = 'NatsConnectError';

  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`Cannot connect to NATS at ${url}: ${reason}`);
  }
}

export const NATS_CONNECT_TIMEOUT_MS = 5000;

/** Connects once; a refused or silent server fails boot instead of retrying in the background. */
export async function connectNats(url: string, name: string, timeoutMs = NATS_CONNECT_TIMEOUT_MS): Promise<NatsConnection> {
  try {
    // noAsyncTraces: nats.js otherwise captures a stack trace for every request (each JetStream publish), which
    // costs more CPU than the request itself on the webhook's hot path.
    return await connect({ servers: url, name, timeout: timeoutMs, maxReconnectAttempts: -1, noAsyncTraces: true });
  } catch (err) {
    throw new NatsConnectError(url, describe(err));
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
}
