import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * `POST /emulator/calls/compliance-invite`: what Teams does when a user under a compliance recording policy is in
 * a call or meeting: the policy's recorder (the bot, as an application instance) gets an incoming call whose
 * `incomingContext.observedParticipantId` is the recorded user and whose `applicationMetadata.botData` says
 * `inviteReasons: ["PolicyBasedRecording"]` with the policy and the paired recorders; a meeting adds
 * `meetingInfo: tokenMeetingInfo` (contract §6; the answer is due within 5 s).
 */
export const complianceInviteSchema = z.strictObject({
  observedUser: z.strictObject({ id: z.string().min(1).max(128), displayName: z.string().min(1).max(256).optional() }),
  policyId: z.string().min(1).max(256).default('tag:ComplianceRecording'),
  /** The recorded user is in a meeting (the invitation carries a meeting token), not a 1:1 call. */
  meeting: z.boolean().default(false),
  otherSide: z.strictObject({ id: z.string().min(1).max(128), displayName: z.string().max(256).optional() }).optional(),
  tenantId: z.string().min(1).optional(),
});
export type ComplianceInvite = z.output<typeof complianceInviteSchema>;

/** The fields an incoming compliance invitation adds to Graph's `created` call notification. */
export function complianceInviteFields(invite: ComplianceInvite, observedParticipantId: string, tenantId: string): Record<string, unknown> {
  const user = (u: { id: string; displayName?: string }) => ({ id: u.id, ...(u.displayName ? { displayName: u.displayName } : {}), tenantId });
  return {
    incomingContext: { '@odata.type': '#microsoft.graph.incomingContext', observedParticipantId, sourceParticipantId: observedParticipantId },
    applicationMetadata: {
      botData: {
        mediaHostedRegion: 'amer',
        user: { ...user(invite.observedUser), participationMethod: 'client', clientLocation: 'US' },
        ...(invite.otherSide ? { otherSideUser: user(invite.otherSide) } : {}),
        inviteReasons: ['PolicyBasedRecording'],
        policyIdentifier: invite.policyId,
        pairedRecorders: [],
        otherRecorders: [],
      },
    },
    ...(invite.meeting
      ? { meetingInfo: { '@odata.type': '#microsoft.graph.tokenMeetingInfo', token: Buffer.from(`meeting:${randomUUID()}`).toString('base64url') } }
      : {}),
  };
}
