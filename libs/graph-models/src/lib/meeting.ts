import { z } from 'zod';
import { identitySetSchema } from './identity';
import { graphEnum, graphObject } from './odata';

export const chatInfoSchema = graphObject({
  '@odata.type': z.string().optional(),
  threadId: z.string().nullish(),
  messageId: z.string().nullish(),
  replyChainMessageId: z.string().nullish(),
});
export type ChatInfo = z.infer<typeof chatInfoSchema>;

export const organizerMeetingInfoSchema = graphObject({
  '@odata.type': z.literal('#microsoft.graph.organizerMeetingInfo'),
  organizer: identitySetSchema,
  allowConversationWithoutHost: z.boolean().nullish(),
});
export const tokenMeetingInfoSchema = graphObject({
  '@odata.type': z.literal('#microsoft.graph.tokenMeetingInfo'),
  token: z.string().min(1),
});
export const joinMeetingIdMeetingInfoSchema = graphObject({
  '@odata.type': z.literal('#microsoft.graph.joinMeetingIdMeetingInfo'),
  joinMeetingId: z.string().min(1),
  passcode: z.string().nullish(),
});

/** The three ways to name a meeting when joining it (contract §4.1). */
export const meetingInfoSchema = z.discriminatedUnion('@odata.type', [
  organizerMeetingInfoSchema,
  tokenMeetingInfoSchema,
  joinMeetingIdMeetingInfoSchema,
]);
export type MeetingInfo = z.infer<typeof meetingInfoSchema>;

export const lobbyBypassScopeSchema = graphEnum([
  'organizer',
  'organization',
  'organizationAndFederated',
  'everyone',
  'invited',
  'organizationExcludingGuests',
  'unknownFutureValue',
]);

export const meetingParticipantInfoSchema = graphObject({
  identity: identitySetSchema.nullish(),
  upn: z.string().nullish(),
  role: z.string().nullish(),
});

export const onlineMeetingSchema = graphObject({
  id: z.string().min(1),
  joinWebUrl: z.string().nullish(),
  subject: z.string().nullish(),
  creationDateTime: z.string().nullish(),
  startDateTime: z.string().nullish(),
  endDateTime: z.string().nullish(),
  videoTeleconferenceId: z.string().nullish(),
  chatInfo: chatInfoSchema.nullish(),
  participants: graphObject({
    organizer: meetingParticipantInfoSchema.nullish(),
    attendees: z.array(meetingParticipantInfoSchema).nullish(),
  }).nullish(),
  joinMeetingIdSettings: graphObject({
    joinMeetingId: z.string().nullish(),
    passcode: z.string().nullish(),
    isPasscodeRequired: z.boolean().nullish(),
  }).nullish(),
  lobbyBypassSettings: graphObject({
    scope: lobbyBypassScopeSchema.nullish(),
    isDialInBypassEnabled: z.boolean().nullish(),
  }).nullish(),
  allowedPresenters: z.string().nullish(),
});
export type OnlineMeeting = z.infer<typeof onlineMeetingSchema>;
