import { z } from 'zod';
import { resultInfoSchema } from '@switchboard/graph-models';
import { flowMediaEventSchema } from './media-sessions';

/**
 * Inputs signaling schedules for a call on its own inputs stream, applied through the same per-call path as
 * Graph notifications. A timer is delivered at or after `dueAt`; `timerId` is unique per arming, so a timer that
 * was re-armed or cancelled in the meantime is recognised and ignored.
 */
export const timerInputSchema = z.object({
  kind: z.literal('timer'),
  timerId: z.string().min(1).max(200),
  /** `grant-renewal`: renew the recording grant a service-hosted recording holds (recordings/recording-gate.ts). */
  purpose: z.enum(['keepAlive', 'ivr', 'grant-renewal']),
  dueAt: z.number().int().nonnegative(),
});

/** The answer (or failure) of an HTTP request a flow made to the customer's app. */
export const webhookResultInputSchema = z.object({
  kind: z.literal('webhook-result'),
  requestId: z.string().min(1).max(200),
  ok: z.boolean(),
  status: z.number().int().optional(),
  body: z.unknown().optional(),
  error: z.string().max(1000).optional(),
});

/** A Graph request decided for a flow failed for good; the flow hears about it through its clientContext. */
export const actionFailedInputSchema = z.object({
  kind: z.literal('action-failed'),
  requestId: z.string().min(1).max(300),
  clientContext: z.string().min(1).max(256),
  error: z.string().max(1000),
});

/** PrepareCall succeeded: the call's media lives on `pod` under `mediaCallId`; `blob` goes to Graph as appHostedMediaConfig. */
export const mediaPlacedInputSchema = z.object({
  kind: z.literal('media-placed'),
  requestId: z.string().min(1).max(300),
  pod: z.string().min(1).max(253),
  mediaCallId: z.string().min(1).max(256),
  blob: z.string().min(1),
  /** The app's answer asked for it (policy-based recording): passed on in Graph's answer. */
  participantCapacity: z.number().int().min(1).max(100).optional(),
});

/** No media pod could take the call (none registered, all draining or full, every PrepareCall refused). */
export const mediaPlacementFailedInputSchema = z.object({
  kind: z.literal('media-placement-failed'),
  requestId: z.string().min(1).max(300),
  reason: z.string().min(1).max(1000),
});

/** The media pod carrying the call is gone (its heartbeat expired or was removed). */
export const mediaLostInputSchema = z.object({
  kind: z.literal('media-lost'),
  requestId: z.string().min(1).max(300),
  pod: z.string().min(1).max(253),
  reason: z.string().min(1).max(1000),
});

/**
 * A call-control command asked for Graph's updateRecordingStatus: applied through the call's own path, so it is
 * decided once per clientContext and carried out by the outbox like every other Graph request.
 */
export const recordingStatusInputSchema = z.object({
  kind: z.literal('recording-status'),
  requestId: z.string().min(1).max(300),
  status: z.enum(['recording', 'notRecording', 'failed']),
  clientContext: z.string().min(1).max(256),
});

/**
 * What the media pod hosting an app-hosted call reported (a key, a prompt or recording ended, the session started or
 * failed), relayed from the media events stream to the call; `event.callId` is the id the pod knows the call by.
 */
export const mediaEventInputSchema = z.object({
  kind: z.literal('media-event'),
  requestId: z.string().min(1).max(300),
  event: flowMediaEventSchema,
});

/**
 * Graph answered an updateRecordingStatus at once with a final operation (no notification follows, contract §1.6):
 * the answer goes through the call's own path like a notification would, so it is reported once as
 * `operation-completed` and a recording waiting for its grant is released (or failed) in order with everything else.
 */
export const recordingStatusAnsweredInputSchema = z.object({
  kind: z.literal('recording-status-answered'),
  requestId: z.string().min(1).max(300),
  clientContext: z.string().min(1).max(256),
  operationId: z.string().max(300),
  status: z.enum(['completed', 'failed']),
  completionReason: z.string().max(200).optional(),
  resultInfo: resultInfoSchema.optional(),
});

export const callInputSchema = z.discriminatedUnion('kind', [
  timerInputSchema,
  webhookResultInputSchema,
  actionFailedInputSchema,
  mediaPlacedInputSchema,
  mediaPlacementFailedInputSchema,
  mediaLostInputSchema,
  recordingStatusInputSchema,
  mediaEventInputSchema,
  recordingStatusAnsweredInputSchema,
]);
export type CallInput = z.infer<typeof callInputSchema>;
export type TimerInput = z.infer<typeof timerInputSchema>;
export type WebhookResultInput = z.infer<typeof webhookResultInputSchema>;
export type ActionFailedInput = z.infer<typeof actionFailedInputSchema>;
export type MediaPlacedInput = z.infer<typeof mediaPlacedInputSchema>;
export type MediaPlacementFailedInput = z.infer<typeof mediaPlacementFailedInputSchema>;
export type MediaLostInput = z.infer<typeof mediaLostInputSchema>;
export type RecordingStatusInput = z.infer<typeof recordingStatusInputSchema>;
export type MediaEventInput = z.infer<typeof mediaEventInputSchema>;
export type RecordingStatusAnsweredInput = z.infer<typeof recordingStatusAnsweredInputSchema>;
