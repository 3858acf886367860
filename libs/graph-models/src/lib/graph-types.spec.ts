import type {
  GraphCall,
  GraphChatInfo,
  GraphJoinMeetingIdMeetingInfo,
  GraphMediaPrompt,
  GraphOrganizerMeetingInfo,
  GraphResultInfo,
  GraphServiceHostedMediaConfig,
  GraphAppHostedMediaConfig,
  GraphToneInfo,
  GraphTokenMeetingInfo,
  GraphInvitationParticipantInfo,
} from './graph-types';
import type { ToneInfo } from './call';
import { joinTargetFromMeetingId, parseJoinLink, type JoinTarget } from './join-link';
import type { MediaConfig, MediaPrompt } from './media-config';
import type { ChatInfo, MeetingInfo } from './meeting';
import type { PlayPromptRequest, CreateCallRequest } from './requests';
import type { ResultInfo } from './result-info';
import { createCallRequestSchema, playPromptRequestSchema } from './requests';

// Compile-time checks (run by the typecheck target): our outgoing shapes fit Graph's own model.
type Fits<Ours, Theirs> = [Ours] extends [Theirs] ? true : never;
const _fits: true[] = [
  true satisfies Fits<ChatInfo, GraphChatInfo>,
  true satisfies Fits<MeetingInfo, GraphOrganizerMeetingInfo | GraphTokenMeetingInfo | GraphJoinMeetingIdMeetingInfo>,
  true satisfies Fits<MediaConfig, GraphServiceHostedMediaConfig | GraphAppHostedMediaConfig>,
  true satisfies Fits<MediaPrompt, GraphMediaPrompt>,
  true satisfies Fits<PlayPromptRequest['prompts'][number], GraphMediaPrompt>,
  true satisfies Fits<ResultInfo, GraphResultInfo>,
  true satisfies Fits<ToneInfo, GraphToneInfo>,
  true satisfies Fits<JoinTarget, Pick<GraphCall, 'chatInfo' | 'meetingInfo' | 'tenantId'>>,
  true satisfies Fits<NonNullable<CreateCallRequest['targets']>[number], GraphInvitationParticipantInfo>,
];

describe('Graph types', () => {
  it('a create-call body typed as GraphCall from a join link passes our schema', () => {
    const { target } = parseJoinLink(
      'https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%225810cede-f3cc-42eb-b2c1-e9bd5d53ec96%22%7d',
    );
    const body: GraphCall & { '@odata.type': string } = {
      '@odata.type': '#microsoft.graph.call',
      callbackUri: 'https://bot.example.test/api/calling',
      requestedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } as GraphServiceHostedMediaConfig,
      ...target,
    };
    expect(createCallRequestSchema.safeParse(body).success).toBe(true);
    const byId: GraphCall = { ...joinTargetFromMeetingId('123456789') };
    expect(byId.meetingInfo).toMatchObject({ joinMeetingId: '123456789' });
  });

  it('a playPrompt body built from Graph prompts passes our schema', () => {
    const prompt: GraphMediaPrompt = { mediaInfo: { uri: 'https://cdn.example.test/menu.wav', resourceId: 'menu' } };
    expect(playPromptRequestSchema.safeParse({ prompts: [prompt] }).success).toBe(true);
  });
});
