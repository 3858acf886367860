import { z } from 'zod';
import { invitationParticipantInfoSchema, participantInfoSchema } from './identity';
import { mediaConfigSchema, mediaPromptSchema, modalitySchema } from './media-config';
import { chatInfoSchema, meetingInfoSchema } from './meeting';
import { callOptionsSchema, toneSchema } from './call';
import { clientContextSchema } from './operations';
import { graphEnum } from './odata';

/** Bodies of the calls actions (contract §3). The emulator validates with them; the client builds them. */

const withContext = { clientContext: clientContextSchema.optional() };

export const answerRequestSchema = z.object({
  callbackUri: z.string().url(),
  acceptedModalities: z.array(modalitySchema).min(1, 'acceptedModalities needs at least one modality'),
  mediaConfig: mediaConfigSchema,
  callOptions: callOptionsSchema.optional(),
  participantCapacity: z.number().int().positive().optional(),
});
export type AnswerRequest = z.infer<typeof answerRequestSchema>;

export const rejectRequestSchema = z.object({
  reason: z.enum(['none', 'busy', 'forbidden']).optional(),
  callbackUri: z.string().url().optional(),
});
export type RejectRequest = z.infer<typeof rejectRequestSchema>;

export const redirectRequestSchema = z.object({
  targets: z.array(invitationParticipantInfoSchema).min(1).max(25, 'at most 25 redirect targets (simulring)'),
  timeout: z.number().int().min(15).max(90).optional(),
  callbackUri: z.string().url().optional(),
  routingPolicies: z.array(z.string()).optional(),
});
export type RedirectRequest = z.infer<typeof redirectRequestSchema>;

export const transferRequestSchema = z.object({
  transferTarget: invitationParticipantInfoSchema,
  transferee: participantInfoSchema.optional(),
  ...withContext,
});
export type TransferRequest = z.infer<typeof transferRequestSchema>;

export const playPromptRequestSchema = z.object({
  prompts: z.array(mediaPromptSchema).min(1).max(20, 'at most 20 prompts per playPrompt'),
  ...withContext,
});
export type PlayPromptRequest = z.infer<typeof playPromptRequestSchema>;

const seconds = z.number().int().min(1).max(120);
export const recordResponseRequestSchema = z.object({
  prompts: z.array(mediaPromptSchema).max(1, 'recordResponse takes at most one prompt').optional(),
  bargeInAllowed: z.boolean().optional(),
  initialSilenceTimeoutInSeconds: seconds.optional(),
  maxSilenceTimeoutInSeconds: seconds.optional(),
  maxRecordDurationInSeconds: seconds.optional(),
  playBeep: z.boolean().optional(),
  stopTones: z.array(z.string().regex(/^[0-9*#A-D]$/i, 'stopTones are single keypad characters')).optional(),
  ...withContext,
});
export type RecordResponseRequest = z.infer<typeof recordResponseRequestSchema>;

export const contextOnlyRequestSchema = z.object(withContext);
export type ContextOnlyRequest = z.infer<typeof contextOnlyRequestSchema>;

export const sendDtmfTonesRequestSchema = z.object({
  tones: z.array(toneSchema).min(1),
  delayBetweenTonesMs: z.number().int().min(0).max(5000).optional(),
  ...withContext,
});
export type SendDtmfTonesRequest = z.infer<typeof sendDtmfTonesRequestSchema>;

export const updateRecordingStatusRequestSchema = z.object({
  status: graphEnum(['notRecording', 'recording', 'failed']),
  ...withContext,
});
export type UpdateRecordingStatusRequest = z.infer<typeof updateRecordingStatusRequestSchema>;

export const changeScreenSharingRoleRequestSchema = z.object({ role: z.enum(['viewer', 'sharer']) });

export const inviteParticipantsRequestSchema = z.object({
  participants: z.array(invitationParticipantInfoSchema).min(1).max(5, 'at most 5 participants per invite'),
  ...withContext,
});
export type InviteParticipantsRequest = z.infer<typeof inviteParticipantsRequestSchema>;

export const startHoldMusicRequestSchema = z.object({
  customPrompt: mediaPromptSchema.optional(),
  ...withContext,
});
export type StartHoldMusicRequest = z.infer<typeof startHoldMusicRequestSchema>;

/** POST /communications/calls: place a call or join a meeting. */
export const createCallRequestSchema = z.object({
  '@odata.type': z.literal('#microsoft.graph.call').optional(),
  callbackUri: z.string().url(),
  source: participantInfoSchema.optional(),
  targets: z.array(invitationParticipantInfoSchema).optional(),
  requestedModalities: z.array(modalitySchema).min(1),
  mediaConfig: mediaConfigSchema,
  chatInfo: chatInfoSchema.optional(),
  meetingInfo: meetingInfoSchema.optional(),
  tenantId: z.string().optional(),
  subject: z.string().optional(),
  direction: z.enum(['incoming', 'outgoing']).optional(),
  callOptions: callOptionsSchema.optional(),
}).refine((c) => (c.targets?.length ?? 0) > 0 || c.meetingInfo !== undefined, {
  message: 'a call needs targets or meetingInfo',
  path: ['targets'],
});
export type CreateCallRequest = z.infer<typeof createCallRequestSchema>;

