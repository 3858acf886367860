import { z } from 'zod';
import { graphCallIdSchema as callIdSchema } from './call-id';
import {
  clientContextSchema,
  recordResponseRequestSchema,
  rejectRequestSchema,
  sendDtmfTonesRequestSchema,
  updateRecordingStatusRequestSchema,
} from '@switchboard/graph-models';
import { mediaHostingSchema, meetingTargetSchema, requestedModalitiesSchema, type MeetingTarget } from './meeting-target';

/**
 * Call-control commands: the bodies of the REST API (`/v1/calls/...`) and, with the call and participant ids and
 * an optional idempotency key added, the payloads of the NATS request/reply subjects `calls.v1.commands.<action>`.
 * Every body is a strict object: an unknown field is refused rather than silently dropped.
 */

export const participantIdSchema = z.string().regex(/^[A-Za-z0-9-]{1,128}$/, 'must be a participant id (letters, digits and dashes, at most 128)');
/** The same key means the same request: its first answer is stored for 24 hours and returned again. */
export const idempotencyKeySchema = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +14255550100');
const entity = z.strictObject({ id: z.string().min(1).max(256), displayName: z.string().max(256).optional() });

/** Who to call: exactly one of a Teams user, a phone number (needs an application instance as source) or an app. */
export const callTargetSchema = z
  .strictObject({ user: entity.optional(), phone: e164.optional(), application: entity.optional() })
  .refine((t) => [t.user, t.phone, t.application].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of user, phone or application',
  });
export type CallTarget = z.infer<typeof callTargetSchema>;

const promptUri = z.url({ protocol: /^https?$/, message: 'must be the http(s) URL of a WAV prompt (16 kHz mono)' });

const placeCallShape = {
  target: callTargetSchema.optional(),
  /** A group call: 2 to 5 targets (Graph's ad-hoc group call limit). */
  targets: z.array(callTargetSchema).min(2, 'a group call needs at least 2 targets').max(5, 'a group call has at most 5 targets').optional(),
  /** Required to call a phone number: the application instance (resource account) that owns the number. */
  source: z.strictObject({ applicationInstance: entity }).optional(),
  /** The flow signaling runs once the callee answers. */
  flow: z.string().min(1).max(100).optional(),
  /** The app that handles the call over the API and events; defaults to the caller's identity. */
  app: z.string().min(1).max(100).optional(),
  tenantId: z.string().min(1).max(100).optional(),
  subject: z.string().max(256).optional(),
  /** Join a meeting instead of calling someone: by join link, meeting id + passcode, or token; as the app or as a guest. */
  meeting: meetingTargetSchema.optional(),
  media: mediaHostingSchema.optional(),
  modalities: requestedModalitiesSchema.optional(),
};

type PlaceCallFields = { target?: CallTarget; targets?: CallTarget[]; meeting?: MeetingTarget; source?: unknown; flow?: string; app?: string };

function checkPlaceCall(body: PlaceCallFields, ctx: z.RefinementCtx): void {
  const given = [body.target, body.targets, body.meeting].filter((v) => v !== undefined).length;
  if (given !== 1) {
    ctx.addIssue({ code: 'custom', path: ['target'], message: 'give either target (a 1:1 call), targets (a group call) or meeting (join one), exactly one of them' });
  }
  if (body.flow !== undefined && body.app !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['flow'], message: 'give either flow or app, not both' });
  }
  const phones = [body.target, ...(body.targets ?? [])].some((t) => t?.phone !== undefined);
  if (phones && body.source === undefined) {
    ctx.addIssue({ code: 'custom', path: ['source'], message: 'calling a phone number needs source.applicationInstance (the resource account that owns the number)' });
  }
}

export const placeCallBodySchema = z.strictObject(placeCallShape).superRefine(checkPlaceCall);
export type PlaceCallBody = z.infer<typeof placeCallBodySchema>;

const emptyBody = z.strictObject({});
const withContext = { clientContext: clientContextSchema.optional() };

/** Bodies of the actions on an existing call, by action name. */
export const callActionBodySchemas = {
  /**
   * Without `media`, as routing decided for the call (service-hosted unless its rule says app-hosted).
   * `participantCapacity`: policy-based recording, more users under the same policy join this call (contract §3, §6).
   */
  answer: z.strictObject({ media: mediaHostingSchema.optional(), participantCapacity: z.number().int().min(1).max(100).optional() }),
  reject: z.strictObject(rejectRequestSchema.pick({ reason: true }).shape),
  redirect: z.strictObject({
    targets: z.array(callTargetSchema).min(1).max(25, 'at most 25 redirect targets (simulring)'),
    timeout: z.number().int().min(15).max(90).optional(),
  }),
  /** Blind transfer; with `replacesCallId` (the bot's call to the target) a consultative one. */
  transfer: z.strictObject({ target: callTargetSchema, replacesCallId: callIdSchema.optional(), ...withContext }),
  'hang-up': emptyBody,
  mute: z.strictObject(withContext),
  unmute: z.strictObject(withContext),
  'list-participants': emptyBody,
  'invite-participants': z.strictObject({
    participants: z.array(callTargetSchema).min(1).max(5, 'at most 5 participants per invite'),
    replacesCallId: callIdSchema.optional(),
    ...withContext,
  }),
  'play-prompt': z.strictObject({ prompts: z.array(promptUri).min(1).max(20, 'at most 20 prompts per playPrompt'), ...withContext }),
  record: z.strictObject({ ...recordResponseRequestSchema.omit({ prompts: true }).shape, prompt: promptUri.optional() }),
  'send-dtmf': z.strictObject(sendDtmfTonesRequestSchema.shape),
  'cancel-media': z.strictObject(withContext),
  /** Graph's updateRecordingStatus, sent once per clientContext (recording-compliance names each cause in it). */
  'update-recording-status': z.strictObject({ status: updateRecordingStatusRequestSchema.shape.status, clientContext: clientContextSchema.min(1) }),
} as const;

/** Bodies of the actions on one participant of a call. */
export const participantActionBodySchemas = {
  'mute-participant': z.strictObject(withContext),
  'remove-participant': emptyBody,
  'hold-music': z.strictObject({ action: z.enum(['start', 'stop']), prompt: promptUri.optional(), ...withContext }),
} as const;

/** Reads of a call's stored state. */
export const callReadActions = ['get', 'history'] as const;

export type CallActionName = keyof typeof callActionBodySchemas;
export type ParticipantActionName = keyof typeof participantActionBodySchemas;
export type CallReadAction = (typeof callReadActions)[number];
export type CallCommandAction = 'place' | CallReadAction | CallActionName | ParticipantActionName;

export const callCommandActions: readonly CallCommandAction[] = [
  'place',
  ...callReadActions,
  ...(Object.keys(callActionBodySchemas) as CallActionName[]),
  ...(Object.keys(participantActionBodySchemas) as ParticipantActionName[]),
];

const idempotency = { idempotencyKey: idempotencyKeySchema.optional() };
const onCall = { callId: callIdSchema, ...idempotency };
const onParticipant = { ...onCall, participantId: participantIdSchema };

const mapValues = <T extends Record<string, z.ZodObject>, U>(schemas: T, f: (schema: z.ZodObject) => U): { [K in keyof T]: U } =>
  Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, f(v)])) as { [K in keyof T]: U };

/** NATS payload schema per action: the REST body plus the ids from the path and `idempotencyKey`. */
export const callCommandSchemas: Record<CallCommandAction, z.ZodType<Record<string, unknown>>> = {
  place: z.strictObject({ ...placeCallShape, ...idempotency }).superRefine(checkPlaceCall),
  get: z.strictObject({ callId: callIdSchema }),
  history: z.strictObject({ callId: callIdSchema }),
  ...mapValues(callActionBodySchemas, (s) => s.extend(onCall)),
  ...mapValues(participantActionBodySchemas, (s) => s.extend(onParticipant)),
};

/** The REST body schema of an action (reads and path-only actions take none). */
export function callCommandBodySchema(action: CallCommandAction): z.ZodType | undefined {
  if (action === 'place') return placeCallBodySchema;
  if (action in callActionBodySchemas) return callActionBodySchemas[action as CallActionName];
  if (action in participantActionBodySchemas) return participantActionBodySchemas[action as ParticipantActionName];
  return undefined;
}

export const callCommandFailureSchema = z.strictObject({
  ok: z.literal(false),
  /** The HTTP status the REST API answers with for the same refusal. */
  status: z.number().int().min(400).max(599),
  /** Stable, machine-readable: `InvalidRequest`, `CallNotFound`, `WrongState`, Graph's own code, … */
  code: z.string().min(1),
  message: z.string().min(1),
});
export const callCommandReplySchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), result: z.unknown() }),
  callCommandFailureSchema,
]);
export type CallCommandReply = z.infer<typeof callCommandReplySchema>;
export type CallCommandFailure = z.infer<typeof callCommandFailureSchema>;
