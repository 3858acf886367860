import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { callEventTypes, type CallEvent, type CallEventType } from '@switchboard/nats-contracts';
import { ConfigError, type Env } from '@switchboard/service-kit';

/** One customer endpoint and the events it wants; the secret signs every request to it. */
export interface Subscription {
  id: string;
  url: string;
  secret: string;
  /** Event types delivered, or every type. */
  events: readonly CallEventType[] | '*';
  /** Only events of these tenants; every tenant when absent. */
  tenantIds?: readonly string[];
}

/** What the API shows about a subscription: never the secret. */
export type SubscriptionView = Omit<Subscription, 'secret'>;

export const FILE_VARIABLE = 'CUSTOMER_WEBHOOKS_FILE';

/** Ids become part of a JetStream consumer name and KV keys, so they are one plain token. */
const idPattern = /^[a-z0-9][a-z0-9_-]{0,47}$/;
const MIN_SECRET_LENGTH = 16;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function urlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.username || url.password) return 'must not carry credentials (the signature authenticates requests)';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)) return undefined;
  return 'must be https (http only for localhost or 127.0.0.1)';
}

const entrySchema = z
  .strictObject({
    id: z.string({ error: 'required' }).regex(idPattern, `must match ${idPattern} (lower-case letters, digits, _ and -)`),
    url: z.string({ error: 'required' }).superRefine((value, ctx) => {
      const problem = urlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    secret: z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`).optional(),
    secretEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name').optional(),
    events: z
      .array(z.enum(['*', ...callEventTypes], { error: `must be one of *, ${callEventTypes.join(', ')}` }), { error: 'required' })
      .min(1, 'must list at least one event type, or "*"')
      .refine((events) => !events.includes('*') || events.length === 1, 'use "*" alone, not next to event types'),
    tenantIds: z.array(z.string().min(1, 'must not be empty')).min(1, 'must list at least one tenant, or be left out').optional(),
  })
  .superRefine((entry, ctx) => {
    if ((entry.secret === undefined) === (entry.secretEnv === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['secret'], message: 'give exactly one of secret and secretEnv' });
    }
  });

const fileSchema = z.array(entrySchema, { error: 'must be a list of subscriptions' });

/**
 * Reads and validates the subscriptions file. No path = feature off (an empty list). Every problem is reported
 * at once as a ConfigError on CUSTOMER_WEBHOOKS_FILE naming the entry and field, so the service refuses to start.
 */
export function loadSubscriptions(path: string | undefined, env: Env): Subscription[] {
  if (path === undefined) return [];
  const fail = (reasons: string[]): never => {
    throw new ConfigError(reasons.map((reason) => ({ variable: FILE_VARIABLE, reason: `${path}: ${reason}` })));
  };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return fail([`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  let raw: unknown;
  try {
    raw = parseDocument(path, text);
  } catch (error) {
    // YAML errors end with a code frame; the first line already names the line and column.
    return fail([(error as Error).message.split('\n')[0]]);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) return fail(parsed.error.issues.map((issue) => describeIssue(issue, raw)));

  const problems: string[] = [];
  const seen = new Set<string>();
  const subscriptions = parsed.data.map((entry, index): Subscription => {
    const where = entryLabel(index, entry.id);
    if (seen.has(entry.id)) problems.push(`${where}.id: duplicate subscription id`);
    seen.add(entry.id);
    let secret = entry.secret ?? '';
    if (entry.secretEnv !== undefined) {
      secret = env[entry.secretEnv] ?? '';
      if (secret.length < MIN_SECRET_LENGTH) {
        problems.push(`${where}.secretEnv: ${entry.secretEnv} must be set to a secret of at least ${MIN_SECRET_LENGTH} characters`);
      }
    }
    const events = entry.events.includes('*') ? '*' : (entry.events as CallEventType[]);
    return { id: entry.id, url: entry.url, secret, events, ...(entry.tenantIds ? { tenantIds: entry.tenantIds } : {}) };
  });
  if (problems.length > 0) fail(problems);
  return subscriptions;
}

/** Does this subscription want this event (type and tenant filters)? */
export function wants(subscription: Subscription, event: CallEvent): boolean {
  if (subscription.events !== '*' && !subscription.events.includes(event.type)) return false;
  if (subscription.tenantIds && (event.tenantId === undefined || !subscription.tenantIds.includes(event.tenantId))) return false;
  return true;
}

export const viewOf = ({ id, url, events, tenantIds }: Subscription): SubscriptionView => ({
  id,
  url,
  events,
  ...(tenantIds ? { tenantIds } : {}),
});

function parseDocument(path: string, text: string): unknown {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return JSON.parse(text);
  if (ext === '.yaml' || ext === '.yml') return parseYaml(text);
  throw new Error('must end in .json, .yaml or .yml');
}

const entryLabel = (index: number, id: unknown) => `subscriptions[${index}]${typeof id === 'string' ? ` ("${id}")` : ''}`;

/** `subscriptions[1] ("crm").url: must be https …`, with the entry's id when it has one. */
function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const [index, ...rest] = issue.path;
  if (typeof index !== 'number') return issue.message;
  const entry = Array.isArray(raw) ? (raw[index] as { id?: unknown } | undefined) : undefined;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const field = [...rest, ...keys.slice(0, 1)].map(String).join('.');
  const message = issue.code === 'unrecognized_keys' ? `unknown field${keys.length > 1 ? `s ${keys.join(', ')}` : ''}` : issue.message;
  return `${entryLabel(index, entry?.id)}${field ? `.${field}` : ''}: ${message}`;
}
