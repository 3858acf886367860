import { z } from 'zod';
import { callIdToken, graphCallIdSchema } from './call-id';
import { callCommandFailureSchema } from './call-commands';
import { commandToken, namespacing, natsNames } from './names';

/**
 * The recording-compliance protocol. Nothing derived from a call's media may be persisted until Graph has
 * accepted `updateRecordingStatus(recording)` for it: a recorder asks recording-compliance for a grant, the service
 * has signaling send the status, and only once Graph reports success does the recorder get a lease
 * `{grantId, callId, expiresAt}`, renewed while it records. Every step is an audit record.
 */

export interface ComplianceNames {
  /** Grant commands and audit/recording queries (request/reply): `compliance.v1.commands.<action>`. */
  commandSubject(action: ComplianceAction): string;
  /** Lease changes recorders and the recordings writer follow: `compliance.v1.events.<type>`. */
  eventSubject(type: ComplianceEventType): string;
  eventSubjects: string;
  /** The append-only audit trail: a file stream with long retention, one subject per call. */
  auditStream: string;
  auditSubject(callId: string): string;
  auditSubjects: string;
  /** JetStream KV: the current grant of each call (key = the call's token), changed with compare-and-set only. */
  grantsBucket: string;
  /** Durable consumer of recording-compliance on signaling's call events (status outcomes, call ends). */
  callEventsConsumer: string;
  /** What recording-compliance's consumer dead-lettered. */
  deadLetterStream: string;
  deadLetterSubject: string;
  /** Every stream of these names (the KV bucket's included), e.g. to remove a test run's. */
  streams: string[];
}

/** Compliance names in a namespace, by the same rule as {@link natsNames} (which also checks the namespace). */
export function complianceNames(namespace = ''): ComplianceNames {
  natsNames(namespace);
  const { subject, name } = namespacing(namespace);
  const auditStream = name('COMPLIANCE_AUDIT');
  const grantsBucket = name('compliance_grants').toLowerCase();
  return {
    commandSubject: (action) => subject(`compliance.v1.commands.${commandToken(action)}`),
    eventSubject: (type) => subject(`compliance.v1.events.${type}`),
    eventSubjects: subject('compliance.v1.events.>'),
    auditStream,
    auditSubject: (callId) => subject(`compliance.v1.audit.${callIdToken(callId)}`),
    auditSubjects: subject('compliance.v1.audit.>'),
    grantsBucket,
    callEventsConsumer: name('compliance_call_events'),
    deadLetterStream: name('COMPLIANCE_DLQ'),
    deadLetterSubject: subject('compliance.v1.dead-letter'),
    streams: [auditStream, name('COMPLIANCE_DLQ'), `KV_${grantsBucket}`],
  };
}

/** The clientContext of every status request recording-compliance has sent for a grant: `compliance:<grantId>:<status>`. */
export const COMPLIANCE_CONTEXT_PREFIX = 'compliance:';
export const recordingStatusSchema = z.enum(['recording', 'notRecording', 'failed']);
export type RecordingStatusValue = z.infer<typeof recordingStatusSchema>;

export const statusClientContext = (grantId: string, status: RecordingStatusValue): string => `${COMPLIANCE_CONTEXT_PREFIX}${grantId}:${status}`;

/** The grant and status a clientContext stands for, or undefined when it is not one of recording-compliance's. */
export function parseStatusClientContext(clientContext: string | undefined): { grantId: string; status: RecordingStatusValue } | undefined {
  if (!clientContext?.startsWith(COMPLIANCE_CONTEXT_PREFIX)) return undefined;
  const [grantId, status] = clientContext.slice(COMPLIANCE_CONTEXT_PREFIX.length).split(':');
  const parsed = recordingStatusSchema.safeParse(status);
  return grantId && parsed.success ? { grantId, status: parsed.data } : undefined;
}

// ---- grant protocol --------------------------------------------------------------------------------------------

export const grantIdSchema = z.uuid('must be a grant id (a UUID)');
/** Who asks: a media pod, signaling's recordResponse download, a test recorder; named in every audit record. */
export const recorderSchema = z.string().regex(/^[\w.:@/-]{1,128}$/, 'must name the recorder (1-128 letters, digits and . _ : @ / -)');

export const startGrantRequestSchema = z.strictObject({
  callId: graphCallIdSchema,
  recorder: recorderSchema,
  /** How long the request may wait for Graph's answer; a grant still pending then is answered `pending`. */
  waitMs: z.number().int().min(0).max(30_000).optional(),
});
/** A lease as the recorder holds it: renew, stop and check name both ids, so a lease of another call is refused. */
export const leaseRequestSchema = z.strictObject({ grantId: grantIdSchema, callId: graphCallIdSchema, recorder: recorderSchema.optional() });
export const grantStateSchema = z.enum(['pending', 'active', 'stopped', 'revoked']);
export type GrantState = z.infer<typeof grantStateSchema>;

/** A grant as the protocol shows it; `expiresAt` only while active. */
export const grantSchema = z.strictObject({
  grantId: grantIdSchema,
  callId: z.string(),
  tenantId: z.string().optional(),
  recorder: z.string(),
  state: grantStateSchema,
  expiresAt: z.iso.datetime().optional(),
  /** Why a grant ended or was refused. */
  reason: z.string().optional(),
});
export type Grant = z.infer<typeof grantSchema>;

export const auditQuerySchema = z
  .strictObject({
    callId: graphCallIdSchema.optional(),
    from: z.iso.datetime().optional(),
    to: z.iso.datetime().optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
  })
  .refine((q) => q.callId !== undefined || q.from !== undefined, { message: 'give callId, or a time range starting at from' })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['to'] });
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const recordingsQuerySchema = z.strictObject({ callId: graphCallIdSchema.optional(), limit: z.number().int().min(1).max(1000).optional() });

/** Request payload schema per command action. */
export const complianceCommandSchemas = {
  start: startGrantRequestSchema,
  renew: leaseRequestSchema,
  stop: leaseRequestSchema,
  check: leaseRequestSchema,
  /** A recorder or the recordings writer gives up the lease because it cannot go on (storage failed): `failed` is sent. */
  revoke: leaseRequestSchema.extend({ reason: z.string().min(1).max(500) }),
  audit: auditQuerySchema,
  recordings: recordingsQuerySchema,
} as const;
export type ComplianceAction = keyof typeof complianceCommandSchemas;
export const complianceActions = Object.keys(complianceCommandSchemas) as ComplianceAction[];

/** Replies: `{ok: true, result}` or the same refusal shape as call-control commands. */
export const complianceReplySchema = z.discriminatedUnion('ok', [z.strictObject({ ok: z.literal(true), result: z.unknown() }), callCommandFailureSchema]);
export type ComplianceReply = z.infer<typeof complianceReplySchema>;

// ---- events ----------------------------------------------------------------------------------------------------

export const complianceEventTypes = ['granted', 'renewed', 'stopped', 'revoked', 'recording-stored', 'recording-failed'] as const;
export type ComplianceEventType = (typeof complianceEventTypes)[number];

/** What a tenant's policy does when a policy-recorded call cannot be recorded. */
export const recordingFailureActionSchema = z.enum(['leave', 'stay-and-alert']);
export type RecordingFailureAction = z.infer<typeof recordingFailureActionSchema>;

export const recordingMetadataSchema = z.strictObject({
  recordingId: z.string().min(1),
  callId: z.string(),
  tenantId: z.string().optional(),
  grantId: z.string().optional(),
  container: z.string(),
  blobName: z.string(),
  contentType: z.string(),
  participants: z.array(z.strictObject({ id: z.string(), displayName: z.string().optional() })),
  speakers: z.array(z.string()),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime(),
  durationMs: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Kept at least until this instant (the tenant's retention). */
  retainUntil: z.iso.datetime(),
});
export type RecordingMetadata = z.infer<typeof recordingMetadataSchema>;

export const complianceEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.enum(['granted', 'renewed', 'stopped', 'revoked']), at: z.iso.datetime(), grant: grantSchema }),
  z.strictObject({ type: z.literal('recording-stored'), at: z.iso.datetime(), recording: recordingMetadataSchema }),
  /**
   * A policy-recorded call whose recording could not start or went on failing (Graph refused `recording`, the lease
   * expired, storage failed): the alert for operators, with what the tenant's policy did (`leave`: the bot hung up,
   * which ends the recorded user's call; `stay-and-alert`: the bot stays unrecorded).
   */
  z.strictObject({
    type: z.literal('recording-failed'),
    at: z.iso.datetime(),
    callId: z.string(),
    tenantId: z.string().optional(),
    /** The grant that failed; absent when recording could not start at all (no pod able to record). */
    grantId: z.string().optional(),
    reason: z.string(),
    action: recordingFailureActionSchema,
  }),
]);
export type ComplianceEvent = z.infer<typeof complianceEventSchema>;

// ---- audit -----------------------------------------------------------------------------------------------------

export const auditActions = [
  'grant-requested',
  'granted',
  'refused',
  'renewed',
  'stopped',
  'revoked',
  'status-requested',
  'status-result',
  'recording-stored',
  'invitation-answered',
  'failure-policy-applied',
  'recording-downloaded',
  'recording-deleted',
  'call-ended',
  'participant-joining',
] as const;
export type AuditAction = (typeof auditActions)[number];

export const auditRecordSchema = z.strictObject({
  /** Unique per cause: the message id that deduplicates it in the audit stream. */
  auditId: z.string().min(1),
  at: z.iso.datetime(),
  action: z.enum(auditActions),
  /** Who caused it: a recorder, `graph`, `lease-expiry`, `call-end`, an API caller. */
  actor: z.string(),
  callId: z.string(),
  tenantId: z.string().optional(),
  grantId: z.string().optional(),
  status: recordingStatusSchema.optional(),
  operationId: z.string().optional(),
  result: z.strictObject({ ok: z.boolean(), code: z.number().optional(), subcode: z.number().optional(), message: z.string().optional() }).optional(),
  reason: z.string().optional(),
  recording: recordingMetadataSchema.optional(),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;
