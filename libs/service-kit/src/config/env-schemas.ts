import { z } from 'zod';
import { natsNamespaceSchema } from '@switchboard/nats-contracts';
import type { ConfigIssue } from './config-error';

/** Integer environment variable within [min, max]; `fallback` applies when it is unset. */
export function envInt(options: { min: number; max: number; fallback?: number }) {
  const { min, max, fallback } = options;
  const text = z.string().trim();
  const base = fallback === undefined ? text : text.default(String(fallback));
  return base
    .pipe(z.string().regex(/^-?\d+$/, `must be an integer between ${min} and ${max}`))
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

/**
 * JSON environment variable read by `schema`; `fallback` (JSON text) applies when it is unset. Text that is not JSON is
 * refused with `what` (e.g. 'a JSON object of tenant id to days'), a value the schema refuses names its path.
 */
export function envJson<S extends z.ZodType>(schema: S, what: string, fallback: string) {
  return z
    .string()
    .trim()
    .default(fallback)
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be ${what}` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** TCP port (0 = any free port, which tests use). */
export function envPort(fallback?: number) {
  return envInt({ min: 0, max: 65535, fallback });
}

/** Boolean environment variable written as true/false/1/0. */
export function envBool(fallback: boolean) {
  return z
    .enum(['true', 'false', '1', '0'], { error: 'must be true, false, 1 or 0' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');
}

const NATS_PROTOCOLS = new Set(['nats:', 'tls:']);

function isNatsUrl(value: string): boolean {
  try {
    return NATS_PROTOCOLS.has(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** A user or password inside the URL would end up in ConfigMaps and in every message that names the URL. */
function hasNoUserInfo(value: string): boolean {
  try {
    const url = new URL(value);
    return url.username === '' && url.password === '';
  } catch {
    return true;
  }
}

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** The NATS settings a connection needs; a service's whole configuration will do. */
export interface NatsSettings {
  NATS_URL: string;
  NATS_USER?: string;
  NATS_PASSWORD?: string;
}

/**
 * `NATS_USER` and `NATS_PASSWORD` come as a pair: one without the other is a deployment mistake (a Secret key
 * missing, say) that would otherwise show up later as an authorization error. Named by variable, never by value.
 * `loadConfig` applies this rule to every schema with natsEnv's fields (a refinement on natsEnv itself would not
 * survive the services' `.extend()` overrides, which zod refuses on refined objects), and `connectNats` again.
 */
export function natsCredentialIssues(env: Partial<Record<'NATS_USER' | 'NATS_PASSWORD', string>>): ConfigIssue[] {
  const isSet = (value: string | undefined) => value !== undefined && value !== '';
  const hasUser = isSet(env.NATS_USER);
  const hasPassword = isSet(env.NATS_PASSWORD);
  if (hasUser && !hasPassword) return [{ variable: 'NATS_PASSWORD', reason: 'required when NATS_USER is set' }];
  if (hasPassword && !hasUser) return [{ variable: 'NATS_USER', reason: 'required when NATS_PASSWORD is set' }];
  return [];
}

/**
 * `NATS_URL`: where the NATS server with JetStream answers. `NATS_NAMESPACE`: prefix of every subject and
 * JetStream name (`natsNames(namespace)`), so deployments can share a server; empty by default.
 * `NATS_USER` + `NATS_PASSWORD` (optional, both or neither): the service's NATS user, e.g. from the chart's
 * per-service users; the password is a secret and appears in no message or log line.
 */
export const natsEnv = z.object({
  NATS_URL: z
    .string()
    .trim()
    .default(DEFAULT_NATS_URL)
    .refine(isNatsUrl, 'must be a nats:// URL')
    .refine(hasNoUserInfo, 'must not carry a user or password: set NATS_USER and NATS_PASSWORD instead'),
  NATS_NAMESPACE: natsNamespaceSchema,
  NATS_USER: z.string().trim().min(1, 'must not be empty').optional(),
  NATS_PASSWORD: z.string().min(1, 'must not be empty').optional(),
});

/** `HTTP_PORT` / `HTTP_HOST`: where the service's HTTP endpoints listen. Override the port default with `envPort(n)`. */
export const httpEnv = z.object({
  HTTP_PORT: envPort(3000),
  HTTP_HOST: z.string().trim().min(1, 'must not be empty').default('0.0.0.0'),
});

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `LOG_LEVEL`: pino level, `info` unless set. */
export const logEnv = z.object({
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
});
