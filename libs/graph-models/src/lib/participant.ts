import { z } from 'zod';
import { identitySetSchema, participantInfoSchema } from './identity';
import { graphEnum, graphObject, odataInt } from './odata';

export const mediaStreamSchema = graphObject({
  mediaType: graphEnum(['unknown', 'audio', 'video', 'videoBasedScreenSharing', 'data']),
  direction: graphEnum(['inactive', 'sendOnly', 'receiveOnly', 'sendReceive']).nullish(),
  /** The MSI: the id the media platform uses for speakers and video subscriptions. */
  sourceId: z.string().nullish(),
  label: z.string().nullish(),
  serverMuted: z.boolean().nullish(),
});
export type MediaStream = z.infer<typeof mediaStreamSchema>;

export const recordingStatusSchema = graphEnum(['unknown', 'notRecording', 'recording', 'failed']);
export type RecordingStatus = z.infer<typeof recordingStatusSchema>;

/** `id` is null for an invitee who has not joined yet (participant-invite.md roster notifications). */
export const participantSchema = graphObject({
  '@odata.type': z.string().optional(),
  id: z.string().min(1).nullish(),
  info: participantInfoSchema.nullish(),
  isInLobby: z.boolean().nullish(),
  isMuted: z.boolean().nullish(),
  mediaStreams: z.array(mediaStreamSchema).nullish(),
  metadata: z.string().nullish(),
  recordingInfo: graphObject({
    initiator: identitySetSchema.nullish(),
    recordingStatus: recordingStatusSchema.nullish(),
  }).nullish(),
  removedState: graphObject({ reason: z.string().nullish() }).nullish(),
  restrictedExperience: z.unknown().optional(),
  rosterSequenceNumber: odataInt.nullish(),
});
export type Participant = z.infer<typeof participantSchema>;

/**
 * With `callOptions.isDeltaRosterEnabled` a roster update carries only the changes, numbered so that a
 * reader can tell when one was missed (contract §1.4).
 */
export const deltaParticipantsSchema = graphObject({
  '@odata.type': z.string().optional(),
  sequenceNumber: odataInt.nullish(),
  participants: z.array(participantSchema),
});
export type DeltaParticipants = z.infer<typeof deltaParticipantsSchema>;
