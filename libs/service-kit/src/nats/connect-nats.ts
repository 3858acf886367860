import { connect, NatsConnection } from 'nats';
import { ConfigError } from '../config/config-error';
import { natsCredentialIssues, type NatsSettings } from '../config/env-schemas';

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

/** The NATS settings in a service's validated configuration (`APP_CONFIG`). */
export function natsSettingsFrom(config: unknown): NatsSettings {
  const settings = config as Partial<NatsSettings> | undefined;
  if (typeof settings?.NATS_URL !== 'string') throw new Error('NATS_URL is missing from the configuration schema (compose natsEnv)');
  return settings as NatsSettings;
}

/**
 * The options every connection of a service to NATS is made with: the server, and the service's user when
 * `NATS_USER`/`NATS_PASSWORD` are set (both or neither; a schema composed from `natsEnv`'s shape alone skips that
 * rule, so it is checked here too). Shared by the service's own connection and Nest's NATS transport.
 */
export function natsConnectionOptions(settings: NatsSettings): { servers: string; user?: string; pass?: string } {
  const issues = natsCredentialIssues(settings);
  if (issues.length > 0) throw new ConfigError(issues);
  const { NATS_URL: servers, NATS_USER: user, NATS_PASSWORD: pass } = settings;
  return user !== undefined && pass !== undefined ? { servers, user, pass } : { servers };
}

/**
 * Connects once with the service's NATS settings (its configuration will do); a refused or silent server, or a
 * refused user, fails boot instead of retrying in the background.
 */
export async function connectNats(settings: NatsSettings, name: string, timeoutMs = NATS_CONNECT_TIMEOUT_MS): Promise<NatsConnection> {
  const options = natsConnectionOptions(settings);
  try {
    // noAsyncTraces: nats.js otherwise captures a stack trace for every request (each JetStream publish), which
    // costs more CPU than the request itself on the webhook's hot path.
    return await connect({ ...options, name, timeout: timeoutMs, maxReconnectAttempts: -1, noAsyncTraces: true });
  } catch (err) {
    throw new NatsConnectError(settings.NATS_URL, describe(err, options.user));
  }
}

function describe(err: unknown, user: string | undefined): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  const text = typeof code === 'string' && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
  return code === 'AUTHORIZATION_VIOLATION' || /authorization/i.test(err.message)
    ? `${text}: ${user === undefined ? 'the server requires a user (set NATS_USER and NATS_PASSWORD)' : `user ${user} was refused (check NATS_USER and NATS_PASSWORD)`}`
    : text;
}
