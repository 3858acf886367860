import { z } from 'zod';
import { callStateSchema, resultInfoSchema, toneSchema } from '@switchboard/graph-models';
import type { CallEventType } from './names';

const base = {
  /** Unique per cause: consumers dedupe on it (JetStream also drops a republished id within its window). */
  eventId: z.string().min(1),
  callId: z.string().min(1),
  tenantId: z.string().optional(),
  occurredAt: z.iso.datetime(),
};

const party = z.object({ kind: z.string(), id: z.string().optional(), displayName: z.string().optional() });

export const rosterParticipantSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().optional(),
  identity: party.optional(),
  muted: z.boolean(),
  inLobby: z.boolean(),
  sharingScreen: z.boolean(),
  sourceIds: z.array(z.number().int().nonnegative()),
});
export type RosterParticipant = z.infer<typeof rosterParticipantSchema>;

export const callEventSchemas = {
  incoming: z.object({
    ...base,
    type: z.literal('incoming'),
    caller: party.optional(),
    targetAppId: z.string().optional(),
    /** Who takes the call: a flow signaling runs, or an app that answers it through the call-control API. */
    handler: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('flow'), flowId: z.string() }),
      z.object({ kind: z.literal('app'), app: z.string() }),
    ]).optional(),
    /** A policy-based (compliance) recording invitation; recording-compliance answers it. */
    policyRecording: z.object({ observedParticipantId: z.string().optional(), policyId: z.string().optional(), meeting: z.boolean() }).optional(),
  }),
  answered: z.object({ ...base, type: z.literal('answered'), mediaHosting: z.enum(['service', 'app']) }),
  established: z.object({ ...base, type: z.literal('established') }),
  'state-changed': z.object({
    ...base,
    type: z.literal('state-changed'),
    from: callStateSchema.optional(),
    to: callStateSchema,
  }),
  tone: z.object({
    ...base,
    type: z.literal('tone'),
    tone: toneSchema,
    digit: z.string().length(1),
    sequenceId: z.number().int(),
  }),
  'operation-completed': z.object({
    ...base,
    type: z.literal('operation-completed'),
    operationId: z.string(),
    operationKind: z.string(),
    /** `failed` also for an operation Graph reports `completed` whose completionReason or resultInfo says it failed. */
    status: z.enum(['completed', 'failed']),
    completionReason: z.string().optional(),
    clientContext: z.string().optional(),
    resultInfo: resultInfoSchema.optional(),
  }),
  terminated: z.object({
    ...base,
    type: z.literal('terminated'),
    resultInfo: z.object({ code: z.number(), subcode: z.number(), message: z.string().optional() }).optional(),
    explanation: z.object({ outcome: z.string(), cause: z.string(), action: z.string() }).optional(),
  }),
  'effect-failed': z.object({
    ...base,
    type: z.literal('effect-failed'),
    effect: z.string(),
    error: z.string(),
  }),
  /** Something a flow reported: digits collected, a recording available, a failed step, the flow finished. */
  'flow-event': z.object({
    ...base,
    type: z.literal('flow-event'),
    flowId: z.string(),
    name: z.string(),
    data: z.record(z.string(), z.unknown()),
  }),
  /** A recorded message was downloaded from Graph and stored. */
  'recording-stored': z.object({
    ...base,
    type: z.literal('recording-stored'),
    /** The recording as libs/recording-store wrote it to Blob storage under the grant `grantId`. */
    recordingId: z.string(),
    grantId: z.string(),
    container: z.string(),
    blobName: z.string(),
    bytes: z.number().int().nonnegative(),
    contentType: z.string(),
    sha256: z.string(),
  }),
  /** The call's app-hosted media was placed on this media pod; it stays there for the whole call. */
  'media-placed': z.object({ ...base, type: z.literal('media-placed'), pod: z.string(), mediaCallId: z.string() }),
  /** The media pod carrying the call stopped (heartbeat expired or removed): the call is hung up. */
  'media-lost': z.object({ ...base, type: z.literal('media-lost'), pod: z.string(), reason: z.string() }),
  /** The call could not be set up or carried on (e.g. no media pod could take it), with the reason. */
  'call-failed': z.object({ ...base, type: z.literal('call-failed'), reason: z.string() }),
  /**
   * The roster of a group call or meeting changed: everyone in it now (the bot included), and who joined or left
   * since the previous event. `sourceIds` are the MSIs of a participant's media streams, the ids media frames name.
   */
  'participants-updated': z.object({
    ...base,
    type: z.literal('participants-updated'),
    participants: z.array(rosterParticipantSchema),
    joined: z.array(z.string()),
    left: z.array(z.string()),
    /** The id the media pod knows an app-hosted call by, when it is not Graph's (a call the API placed). */
    mediaCallId: z.string().optional(),
  }),
  /**
   * Another user under the recording policy joined a policy-recorded call (Graph's participantJoiningNotification),
   * and what signaling answered Graph: `accepted` (recorded in this call), `rejected`, or `invite-new-bot` (Graph invites
   * another recorder instance in a new call).
   */
  'participant-joining': z.object({
    ...base,
    type: z.literal('participant-joining'),
    observedParticipantId: z.string(),
    user: z.object({ id: z.string().optional(), displayName: z.string().optional() }).optional(),
    policyId: z.string().optional(),
    answer: z.enum(['accepted', 'rejected', 'invite-new-bot']),
    reason: z.string().optional(),
  }),
} satisfies Record<CallEventType, z.ZodType>;

export type CallEvent = { [K in CallEventType]: z.infer<(typeof callEventSchemas)[K]> }[CallEventType];
export type CallEventOf<K extends CallEventType> = z.infer<(typeof callEventSchemas)[K]>;

export const callEventSchema = z.discriminatedUnion('type', [
  callEventSchemas.incoming,
  callEventSchemas.answered,
  callEventSchemas.established,
  callEventSchemas['state-changed'],
  callEventSchemas.tone,
  callEventSchemas['operation-completed'],
  callEventSchemas.terminated,
  callEventSchemas['effect-failed'],
  callEventSchemas['flow-event'],
  callEventSchemas['recording-stored'],
  callEventSchemas['media-placed'],
  callEventSchemas['media-lost'],
  callEventSchemas['call-failed'],
  callEventSchemas['participants-updated'],
  callEventSchemas['participant-joining'],
]);

/** Parses an event payload from NATS; throws a ZodError naming the bad field. */
export const parseCallEvent = (data: Uint8Array | string): CallEvent =>
  callEventSchema.parse(JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data)));
