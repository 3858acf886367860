import { z } from 'zod';
import { DEFAULT_API_ROLES, apiClientIdSchema, apiClientSchema } from './api-clients';
import { BOT_ROLES, botRolesSchema } from './idp';

/** Fixed identities so that a local run and its tests agree without any setup. */
export const DEFAULT_TENANT_ID = '8c2f1f5e-3b1a-4f0e-9d7c-6a5b4c3d2e1f';
export const DEFAULT_BOT_APP_ID = '5b7e2c9a-1d4f-4e8b-a3c6-0f9e8d7c6b5a';
/** The customer app registered at boot, so that the call-control API can be used without setup. */
export const DEFAULT_API_CLIENT_ID = 'c0ffee00-5a1e-4b0b-9c11-5e1ec7ab1e00';

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a dashed GUID');

const intFromEnv = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** Environment variables read at boot; each key names the variable it validates. */
export const emulatorEnvSchema = z.object({
  EMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  EMULATOR_PORT: intFromEnv(4443, 0, 65535),
  EMULATOR_PUBLIC_HOST: z.string().min(1).optional(),
  EMULATOR_STATE_DIR: z.string().min(1).default('.swb/emulator'),
  EMULATOR_TENANT_ID: guid.default(DEFAULT_TENANT_ID),
  EMULATOR_BOT_APP_ID: guid.default(DEFAULT_BOT_APP_ID),
  EMULATOR_BOT_CLIENT_SECRET: z.string().min(1).default('local-dev-secret'),
  EMULATOR_BOT_CERT_PATH: z.string().min(1).optional(),
  /** Comma-separated application permissions (Graph app roles) in the bot's tokens; `none` for a token without any. */
  EMULATOR_BOT_ROLES: z
    .string()
    .default(BOT_ROLES.join(','))
    .transform((raw) => (raw.trim() === 'none' ? [] : raw.split(',').map((r) => r.trim()).filter(Boolean)))
    .pipe(botRolesSchema),
  EMULATOR_BOT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3000/api/calling'),
  EMULATOR_PROMPT_MS: intFromEnv(1500, 0, 600_000),
  EMULATOR_ANSWER_DELAY_MS: intFromEnv(200, 0, 60_000),
  EMULATOR_RING_MS: intFromEnv(1000, 0, 120_000),
  EMULATOR_RECORD_MS: intFromEnv(2000, 0, 120_000),
  EMULATOR_ANSWER_TIMEOUT_MS: intFromEnv(15_000, 0, 600_000),
  EMULATOR_KEEPALIVE_TIMEOUT_MS: intFromEnv(45 * 60_000, 0, 24 * 3_600_000),
  EMULATOR_API_AUDIENCE: z.string().min(1).default('api://switchboard'),
  EMULATOR_API_CLIENT_ID: apiClientIdSchema.default(DEFAULT_API_CLIENT_ID),
  EMULATOR_API_CLIENT_SECRET: apiClientSchema.shape.secret.default('local-api-secret'),
  /** Comma-separated roles of the default API client. */
  EMULATOR_API_ROLES: z
    .string()
    .default(DEFAULT_API_ROLES.join(','))
    .transform((raw) => raw.split(',').map((r) => r.trim()).filter(Boolean))
    .pipe(apiClientSchema.shape.roles),
  /**
   * Host of the media pods' StreamCall for app-hosted calls, `{pod}` standing for the pod name; the port is the one
   * in the call's blob. Unset: the host in the blob (the pod's name, as in a cluster).
   */
  EMULATOR_MEDIA_HOST: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.{}_-]+$/, 'must be a host name, optionally with {pod} for the pod name (e.g. {pod}.media-headless)')
    .optional(),
  /** How long an app-hosted call lives on after its media stream failed before it ends with a media failure. */
  EMULATOR_MEDIA_FAILURE_GRACE_MS: intFromEnv(5_000, 0, 600_000),
  EMULATOR_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type EmulatorEnv = z.infer<typeof emulatorEnvSchema>;

/** Timing knobs of the simulated world, in milliseconds (0 disables the timeouts). */
export interface EmulatorTimings {
  /** How long one prompt of a playPrompt (or recordResponse) plays. */
  promptMs: number;
  /** Gap between the `establishing` and `established` updates after an answer. */
  answerDelayMs: number;
  /** How long a callee of an outgoing call rings before answering. */
  ringMs: number;
  /** Simulated length of a recorded response. */
  recordMs: number;
  /** An incoming call the bot neither answers nor rejects ends after this (Graph: 15 s). */
  answerTimeoutMs: number;
  /** A call with no keepAlive for this long ends with 408/8537 (Graph: 45 min). */
  keepAliveTimeoutMs: number;
}

export interface EmulatorConfig {
  host: string;
  port: number;
  /** Host name put in URLs handed out (must match the certificate: `localhost` by default). */
  publicHost: string;
  stateDir: string;
  tenantId: string;
  botAppId: string;
  botClientSecret: string;
  /** PEM of the certificate registered for the bot; when set, client assertions are verified against it. */
  botCertificatePem?: string;
  /** Application permissions the bot's Graph tokens carry (as if admin consent had granted exactly these). */
  botRoles: string[];
  botWebhookUrl: string;
  /** Audience of call-control API tokens. */
  apiAudience: string;
  /** The customer app registered at boot. */
  apiClient: { clientId: string; secret: string; roles: string[] };
  timings: EmulatorTimings;
  /** The media platform of app-hosted calls. */
  media: { mediaHost?: string; failureGraceMs: number };
  logLevel: EmulatorEnv['EMULATOR_LOG_LEVEL'];
}

export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError naming the first bad variable. */
export function parseEmulatorEnv(env: NodeJS.ProcessEnv): EmulatorEnv {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = emulatorEnvSchema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(String(issue?.path[0] ?? 'environment'), issue?.message ?? 'is invalid');
  }
  return result.data;
}

export function configFromEnv(env: EmulatorEnv, readFile: (path: string) => string): EmulatorConfig {
  let botCertificatePem: string | undefined;
  if (env.EMULATOR_BOT_CERT_PATH) {
    try {
      botCertificatePem = readFile(env.EMULATOR_BOT_CERT_PATH);
    } catch (error) {
      throw new ConfigError('EMULATOR_BOT_CERT_PATH', `cannot be read: ${(error as Error).message}`);
    }
  }
  return {
    host: env.EMULATOR_HOST,
    port: env.EMULATOR_PORT,
    publicHost: env.EMULATOR_PUBLIC_HOST ?? 'localhost',
    stateDir: env.EMULATOR_STATE_DIR,
    tenantId: env.EMULATOR_TENANT_ID.toLowerCase(),
    botAppId: env.EMULATOR_BOT_APP_ID.toLowerCase(),
    botClientSecret: env.EMULATOR_BOT_CLIENT_SECRET,
    botCertificatePem,
    botRoles: env.EMULATOR_BOT_ROLES,
    botWebhookUrl: env.EMULATOR_BOT_WEBHOOK_URL,
    apiAudience: env.EMULATOR_API_AUDIENCE,
    apiClient: { clientId: env.EMULATOR_API_CLIENT_ID, secret: env.EMULATOR_API_CLIENT_SECRET, roles: env.EMULATOR_API_ROLES },
    timings: {
      promptMs: env.EMULATOR_PROMPT_MS,
      answerDelayMs: env.EMULATOR_ANSWER_DELAY_MS,
      ringMs: env.EMULATOR_RING_MS,
      recordMs: env.EMULATOR_RECORD_MS,
      answerTimeoutMs: env.EMULATOR_ANSWER_TIMEOUT_MS,
      keepAliveTimeoutMs: env.EMULATOR_KEEPALIVE_TIMEOUT_MS,
    },
    media: { ...(env.EMULATOR_MEDIA_HOST ? { mediaHost: env.EMULATOR_MEDIA_HOST } : {}), failureGraceMs: env.EMULATOR_MEDIA_FAILURE_GRACE_MS },
    logLevel: env.EMULATOR_LOG_LEVEL,
  };
}
