import { z } from 'zod';
import { invitationParticipantInfoSchema } from './identity';
import { graphEnum, graphObject } from './odata';
import { resultInfoSchema } from './result-info';

export const operationStatusSchema = graphEnum(['notStarted', 'running', 'completed', 'failed']);
export type OperationStatus = z.infer<typeof operationStatusSchema>;

/** Operation subtypes by the name in their `@odata.type` (contract §1.6). */
export const operationKinds = [
  'playPromptOperation',
  'recordOperation',
  'subscribeToToneOperation',
  'cancelMediaProcessingOperation',
  'sendDtmfTonesOperation',
  'muteParticipantOperation',
  'unmuteParticipantOperation',
  'inviteParticipantsOperation',
  'updateRecordingStatusOperation',
  'startHoldMusicOperation',
  'stopHoldMusicOperation',
  'commsOperation',
] as const;
export type OperationKind = (typeof operationKinds)[number];

/** `clientContext` is echoed back by Graph and limited to 256 characters. */
export const clientContextSchema = z.string().max(256, 'clientContext is limited to 256 characters');

/**
 * Any `commsOperation`; subtype fields are optional so one schema reads every kind. `kind` is derived from
 * `@odata.type` (unknown subtypes read as `commsOperation`). `id` may be missing or null in a notification
 * (participant-invite.md, example 2): the operation's id is then the last segment of its `resourceUrl`.
 */
export const commsOperationSchema = graphObject({
  '@odata.type': z.string().optional(),
  id: z.string().min(1).nullish(),
  status: operationStatusSchema,
  clientContext: z.string().nullish(),
  resultInfo: resultInfoSchema.nullish(),
  completionReason: z.string().nullish(),
  recordingLocation: z.string().nullish(),
  recordingAccessToken: z.string().nullish(),
  participants: z.array(invitationParticipantInfoSchema).nullish(),
}).transform((op) => ({ ...op, kind: operationKindOf(op['@odata.type']) }));
export type CommsOperation = z.output<typeof commsOperationSchema>;

export function operationKindOf(odataType: string | undefined): OperationKind {
  const name = odataType?.replace(/^#microsoft\.graph\./i, '') ?? '';
  return operationKinds.find((k) => k.toLowerCase() === name.toLowerCase()) ?? 'commsOperation';
}

/** An operation that answered `completed` or `failed` gets no notification later (contract §1.6). */
export const isFinalStatus = (status: OperationStatus): boolean => status === 'completed' || status === 'failed';

/** `sendDtmfCompletionReason` members that mean the tones were not all sent (resources/senddtmftonesoperation.md). */
const failedDtmfReasons = new Set(['unknown', 'mediaoperationcanceled']);

/**
 * Whether a finished operation did what was asked. The status alone does not say it: a sendDtmfTonesOperation
 * ends `completed` with `completionReason: "mediaOperationCanceled"` or `"unknown"` when its tones were not sent
 * (call-senddtmftones.md, error cases 1 and 2), and a `resultInfo` code of 400 or more is a failure whatever the status.
 */
export function operationSucceeded(op: Pick<CommsOperation, 'status' | 'kind' | 'completionReason' | 'resultInfo'>): boolean {
  if (op.status !== 'completed') return false;
  if (op.resultInfo && op.resultInfo.code >= 400) return false;
  if (op.kind === 'sendDtmfTonesOperation' && op.completionReason && failedDtmfReasons.has(op.completionReason.toLowerCase())) return false;
  return true;
}
