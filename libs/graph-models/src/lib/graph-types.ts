/**
 * Microsoft's own Graph types for the shapes we *send* (create-call bodies, prompts, meeting info), so code
 * that builds them can be checked against Graph's model. Untrusted input is still parsed by the zod schemas:
 * these types are compile-time only and differ from the wire in places (no `ringing` call state, PascalCase
 * operation statuses, no `unknown` modality), which is why our own types stay the source of truth.
 */
export type {
  AppHostedMediaConfig as GraphAppHostedMediaConfig,
  Call as GraphCall,
  ChatInfo as GraphChatInfo,
  CommunicationsIdentitySet as GraphCommunicationsIdentitySet,
  Identity as GraphIdentity,
  IdentitySet as GraphIdentitySet,
  InvitationParticipantInfo as GraphInvitationParticipantInfo,
  JoinMeetingIdMeetingInfo as GraphJoinMeetingIdMeetingInfo,
  MediaInfo as GraphMediaInfo,
  MediaPrompt as GraphMediaPrompt,
  OnlineMeeting as GraphOnlineMeeting,
  OrganizerMeetingInfo as GraphOrganizerMeetingInfo,
  ParticipantInfo as GraphParticipantInfo,
  ResultInfo as GraphResultInfo,
  ServiceHostedMediaConfig as GraphServiceHostedMediaConfig,
  TokenMeetingInfo as GraphTokenMeetingInfo,
  ToneInfo as GraphToneInfo,
} from '@microsoft/microsoft-graph-types';
