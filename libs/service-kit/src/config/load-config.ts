import { z } from 'zod';
import { ConfigError, ConfigIssue } from './config-error';
import { natsCredentialIssues } from './env-schemas';

/** Any zod object schema whose keys are environment variable names. */
export type EnvSchema = z.ZodObject<z.ZodRawShape>;

/** Environment as `process.env` exposes it. */
export type Env = Record<string, string | undefined>;

/**
 * Parses the environment with `schema`. Every problem is collected so an operator fixes
 * the whole deployment at once instead of one variable per restart.
 */
export function loadConfig<S extends EnvSchema>(schema: S, env: Env = process.env): z.output<S> {
  const result = schema.safeParse(env);
  const issues = result.success ? [] : result.error.issues.map((issue) => toConfigIssue(issue, env));
  // Rules across variables of the shared schemas, for every schema that has their fields.
  if ('NATS_USER' in schema.shape || 'NATS_PASSWORD' in schema.shape) {
    issues.push(...natsCredentialIssues(env).filter((cross) => !issues.some((i) => i.variable === cross.variable)));
  }
  if (result.success && issues.length === 0) return result.data;
  throw new ConfigError(issues);
}

function toConfigIssue(issue: z.core.$ZodIssue, env: Env): ConfigIssue {
  const variable = issue.path.length > 0 ? issue.path.map(String).join('.') : '(environment)';
  const raw = issue.path.length > 0 ? env[String(issue.path[0])] : undefined;
  // Say what the operator must do: zod reports a missing variable as a type error on `undefined`, and an empty one
  // as whatever rule '' breaks first (a minimum length, a pattern), which names neither.
  if (raw === '') return { variable, reason: 'is set but empty' };
  return { variable, reason: issue.code === 'invalid_type' && raw === undefined ? 'required' : issue.message };
}
