import { primaryIdentity, type Call } from '@switchboard/graph-models';
import { z } from 'zod';
import type { CallHandler, MediaHosting } from '../orchestration/call-record';
import { policyRecordingHandler } from './policy-recording';

const handlerShape = {
  flow: z.string().min(1).optional(),
  app: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'app names are lower-case letters, digits and dashes').optional(),
  /** `appHosted`: the call is placed on a media pod and answered with its appHostedMediaConfig. */
  media: z.enum(['serviceHosted', 'appHosted']).optional(),
};
const exactlyOneHandler = (h: { flow?: string; app?: string }) => (h.flow === undefined) !== (h.app === undefined);
const handlerMessage = { message: 'name exactly one of flow or app' };

/** A text matched exactly, or a regular expression written as /…/. */
const matcher = z.string().min(1).refine((m) => !m.startsWith('/') || isRegex(m), { message: 'not a valid /regular expression/' });

export const routingFileSchema = z.strictObject({
  /** Folder of flow files (.yaml, .yml, .json), relative to the routing file. */
  flowsDir: z.string().min(1).default('flows'),
  rules: z
    .array(
      z
        .strictObject({
          name: z.string().min(1).optional(),
          match: z.strictObject({
            /** The bot app or application instance (resource account) the call was placed to. */
            target: matcher.optional(),
            /** The caller's user/application id or phone number (E.164). */
            caller: matcher.optional(),
            tenant: matcher.optional(),
          }),
          ...handlerShape,
        })
        .refine(exactlyOneHandler, handlerMessage),
    )
    .default([]),
  default: z.strictObject(handlerShape).refine(exactlyOneHandler, handlerMessage),
});
export type RoutingFile = z.output<typeof routingFileSchema>;
export type RoutingRule = RoutingFile['rules'][number];

function isRegex(m: string): boolean {
  if (!/^\/.+\/$/.test(m)) return false;
  try {
    new RegExp(m.slice(1, -1));
    return true;
  } catch {
    return false;
  }
}

const matches = (pattern: string | undefined, value: string | undefined): boolean =>
  pattern === undefined || (value !== undefined && (isRegex(pattern) ? new RegExp(pattern.slice(1, -1)).test(value) : pattern.toLowerCase() === value.toLowerCase()));

export const handlerOf = (h: { flow?: string; app?: string; media?: MediaHosting }): CallHandler => ({
  ...(h.flow ? { kind: 'flow', flowId: h.flow } : { kind: 'app', app: h.app ?? '' }),
  ...(h.media === 'appHosted' ? { media: h.media } : {}),
});

/** Who an incoming call was placed to: the resource account (application instance) if any, else the bot app. */
export function callTargetId(call: Call): string | undefined {
  const target = call.targets?.[0]?.identity;
  return target?.applicationInstance?.id ?? target?.application?.id ?? undefined;
}

/** The first rule that matches an incoming call names its handler; otherwise the default does. */
export function routeIncomingCall(call: Call, routing: Pick<RoutingFile, 'rules' | 'default'>): CallHandler {
  const compliance = policyRecordingHandler(call);
  if (compliance) return compliance;
  const targetId = callTargetId(call);
  const caller = primaryIdentity(call.source?.identity)?.identity.id ?? undefined;
  const tenant = call.tenantId ?? undefined;
  const rule = routing.rules.find((r) => matches(r.match.target, targetId) && matches(r.match.caller, caller) && matches(r.match.tenant, tenant));
  return handlerOf(rule ?? routing.default);
}
