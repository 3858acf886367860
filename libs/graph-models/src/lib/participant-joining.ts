import { z } from 'zod';
import { callSchema } from './call';
import { graphEnum, graphObject } from './odata';

/**
 * Policy-based recording with `participantCapacity` on the answer: when another user under the same recording policy
 * joins the recorded call or meeting, Graph does not send a new call but a `participantJoiningNotification` whose
 * `call` names the joining user (`incomingContext.observedParticipantId`, `applicationMetadata`), and it expects the
 * bot's `participantJoiningResponse` in the body of its answer to that callback (contract §6; Graph's resources
 * participantJoiningNotification, acceptJoinResponse, rejectJoinResponse, inviteNewBotResponse).
 */
export const participantJoiningNotificationSchema = graphObject({
  '@odata.type': z.string().optional(),
  call: callSchema,
});
export type ParticipantJoiningNotification = z.output<typeof participantJoiningNotificationSchema>;

export const PARTICIPANT_JOINING_TYPE = '#microsoft.graph.participantJoiningNotification';

/** True for a resourceData item that is a participantJoiningNotification (the type is read case-insensitively). */
export const isParticipantJoiningItem = (item: unknown): boolean => {
  const type = (item as { '@odata.type'?: unknown } | null)?.['@odata.type'];
  return typeof type === 'string' && type.toLowerCase() === PARTICIPANT_JOINING_TYPE.toLowerCase();
};

export const rejectJoinReasonSchema = graphEnum(['none', 'busy', 'forbidden']);

/** The bot's answer: accept the user into this recording, reject them, or have Graph invite a new bot instance. */
export const participantJoiningResponseSchema = z.discriminatedUnion('@odata.type', [
  graphObject({ '@odata.type': z.literal('#microsoft.graph.acceptJoinResponse') }),
  graphObject({ '@odata.type': z.literal('#microsoft.graph.rejectJoinResponse'), reason: rejectJoinReasonSchema.optional() }),
  graphObject({ '@odata.type': z.literal('#microsoft.graph.inviteNewBotResponse'), inviteUri: z.string().optional() }),
]);
export type ParticipantJoiningResponse = z.output<typeof participantJoiningResponseSchema>;

export const acceptJoin = (): ParticipantJoiningResponse => ({ '@odata.type': '#microsoft.graph.acceptJoinResponse' });
export const rejectJoin = (reason: 'none' | 'busy' | 'forbidden'): ParticipantJoiningResponse => ({ '@odata.type': '#microsoft.graph.rejectJoinResponse', reason });
export const inviteNewBot = (inviteUri?: string): ParticipantJoiningResponse => ({ '@odata.type': '#microsoft.graph.inviteNewBotResponse', ...(inviteUri ? { inviteUri } : {}) });
