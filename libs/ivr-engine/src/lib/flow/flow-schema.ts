import { z } from 'zod';

/**
 * The flow file schema: strict objects everywhere (a misspelt key is an error, not a silently ignored
 * setting) and the Graph limits of contract §3 enforced when the file is loaded, not when a call hits them.
 */

export const between = (min: number, max: number) =>
  z
    .number()
    .int(`must be a whole number between ${min} and ${max}`)
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`);

/** Step names end up inside clientContext values (≤ 256 chars), hence the length cap. */
export const stepNamePattern = /^[A-Za-z_][\w-]{0,63}$/;
const stepName = z.string().regex(stepNamePattern, 'step names start with a letter or "_", then letters, digits, "_" or "-" (at most 64)');
const varName = z.string().regex(/^[A-Za-z_][\w-]{0,63}$/, 'variable names start with a letter or "_", then letters, digits, "_" or "-" (at most 64)');

export const keypadKey = z.string().regex(/^[0-9*#A-D]$/, 'must be one keypad key: 0-9, *, #, A-D (quote it in YAML: "#")');
const digitString = z.string().regex(/^[0-9*#A-D]{1,32}$/, 'must be 1 to 32 keypad keys (0-9, *, #, A-D)');

/** Graph plays at most 20 prompts per playPrompt. */
export const maxPromptsPerPlay = 20;
const prompt = z.string().min(1, 'a prompt name must not be empty');
const promptList = z.array(prompt).min(1, 'needs at least one prompt').max(maxPromptsPerPlay, `at most ${maxPromptsPerPlay} prompts (Graph playPrompt limit)`);
const playOnly = z.strictObject({ play: promptList });

const identity = z.strictObject({
  id: z.string().min(1, 'must not be empty'),
  displayName: z.string().optional(),
  tenantId: z.string().optional(),
});
const e164OrTemplate = z
  .string()
  .refine((p) => p.includes('{{') || /^\+[1-9]\d{6,14}$/.test(p), 'must be an E.164 number such as "+14255550123"');

export const targetKinds = ['user', 'application', 'applicationInstance', 'phone'] as const;
export const targetSchema = z
  .strictObject({
    user: identity.optional(),
    application: identity.optional(),
    applicationInstance: identity.optional(),
    phone: e164OrTemplate.optional(),
  })
  .refine((t) => targetKinds.filter((k) => t[k] !== undefined).length === 1, {
    message: `a target names exactly one of: ${targetKinds.join(', ')}`,
  });

const gatherSchema = z.strictObject({
  prompt: promptList.optional(),
  maxDigits: between(1, 32).default(1),
  finishOnKey: keypadKey.optional(),
  firstDigitTimeoutMs: between(500, 60_000).default(5_000),
  interDigitTimeoutMs: between(500, 60_000).default(3_000),
  retries: between(0, 10).default(2),
  onNoInput: playOnly.optional(),
  onInvalid: playOnly.optional(),
  valid: z.array(digitString).min(1, 'needs at least one value').optional(),
  pattern: z
    .string()
    .refine((p) => compiles(p), 'must be a valid regular expression')
    .optional(),
  storeAs: varName.optional(),
});

const seconds = between(1, 120);
const recordSchema = z.strictObject({
  prompt: z.array(prompt).min(1, 'needs at least one prompt').max(1, 'record plays at most one prompt (Graph recordResponse limit)').optional(),
  maxDurationSeconds: seconds.default(60),
  maxSilenceSeconds: seconds.default(5),
  initialSilenceSeconds: seconds.default(5),
  beep: z.boolean().default(true),
  stopKeys: z.array(keypadKey).max(12, 'at most 12 stop keys').default(['#']),
});

const webhookSchema = z.strictObject({
  url: z.string().refine((u) => isHttpUrl(u.replace(/\{\{.*?\}\}/g, 'x')), 'must be an absolute http(s) URL'),
  timeoutMs: between(100, 30_000).default(3_000),
  fallback: stepName,
});

/** The verbs; a step has exactly one. */
export const verbs = ['play', 'gather', 'record', 'transfer', 'redirect', 'invite', 'hangup', 'set', 'goto', 'webhook'] as const;
export type Verb = (typeof verbs)[number];

/** Which step-level routing keys each verb understands. */
export const routingKeysByVerb: Record<Verb, readonly RoutingKey[]> = {
  play: ['next'],
  gather: ['next', 'branches', 'default', 'onExhausted'],
  record: ['next', 'onFailed'],
  transfer: ['onFailed'],
  redirect: [],
  invite: ['next'],
  hangup: [],
  set: ['next'],
  goto: [],
  webhook: ['next'],
};
export const routingKeys = ['next', 'branches', 'default', 'onExhausted', 'onFailed'] as const;
export type RoutingKey = (typeof routingKeys)[number];

export const rawStepSchema = z
  .strictObject({
    play: promptList.optional(),
    gather: gatherSchema.optional(),
    record: recordSchema.optional(),
    transfer: z.strictObject({ target: targetSchema, replacesCallId: z.string().min(1).optional() }).optional(),
    redirect: z
      .strictObject({
        targets: z.array(targetSchema).min(1, 'needs at least one target').max(25, 'at most 25 targets (Graph simulring limit)'),
        timeoutSeconds: between(15, 90).optional(),
      })
      .optional(),
    invite: z
      .strictObject({
        participants: z.array(targetSchema).min(1, 'needs at least one participant').max(5, 'at most 5 participants (Graph invite limit)'),
      })
      .optional(),
    hangup: z.strictObject({}).nullable().optional(),
    set: z.record(varName, z.string()).optional(),
    goto: stepName.optional(),
    webhook: webhookSchema.optional(),
    next: stepName.optional(),
    branches: z.record(digitString, stepName).optional(),
    default: stepName.optional(),
    onExhausted: stepName.optional(),
    onFailed: stepName.optional(),
  })
  .superRefine((step, ctx) => {
    const present = verbs.filter((v) => step[v] !== undefined);
    if (present.length !== 1) {
      const found = present.length ? `found ${present.join(' and ')}` : 'found none';
      ctx.addIssue({ code: 'custom', path: [], message: `a step has exactly one verb (${verbs.join(', ')}); ${found}` });
      return;
    }
    const allowed = routingKeysByVerb[present[0]];
    for (const key of routingKeys) {
      if (step[key] !== undefined && !allowed.includes(key)) {
        const hint = allowed.length ? `; ${present[0]} takes ${allowed.join(', ')}` : '';
        ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" does not apply to a ${present[0]} step${hint}` });
      }
    }
    if (step.gather?.valid && step.gather.pattern !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['gather', 'pattern'], message: 'use either valid or pattern, not both' });
    }
  });
export type RawStep = z.output<typeof rawStepSchema>;
export type RawTarget = z.output<typeof targetSchema>;

export const rawFlowSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][\w.-]{0,63}$/, 'must be 1 to 64 letters, digits, ".", "_" or "-"'),
  version: z.number().int('must be a whole number').min(1, 'must be 1 or more'),
  description: z.string().optional(),
  start: stepName,
  vars: z.record(varName, z.string()).default({}),
  prompts: z.strictObject({ base: z.string().refine(isHttpUrl, 'must be an absolute http(s) URL') }).optional(),
  steps: z.record(stepName, rawStepSchema).refine((s) => Object.keys(s).length > 0, 'a flow needs at least one step'),
});
export type RawFlow = z.output<typeof rawFlowSchema>;

/** The body of a webhook answer: the steps to run next, in order. */
export const rawInlineStepsSchema = z.array(rawStepSchema).min(1, 'needs at least one step').max(50, 'at most 50 steps');

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
