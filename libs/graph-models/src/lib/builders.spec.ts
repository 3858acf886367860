import {
  answerRequest,
  createCallRequest,
  identitySet,
  invitationParticipant,
  mediaPrompt,
  participantInfo,
  redirectRequest,
  transferRequest,
} from './builders';
import { joinTargetFromMeetingId, parseJoinLink } from './join-link';
import { answerRequestSchema, createCallRequestSchema, redirectRequestSchema, transferRequestSchema } from './requests';

const heidi = identitySet('user', { id: '550fae72-d251-43ec-868c-373732c2704f', displayName: 'Heidi Steen' });

describe('request builders, against the request bodies of the v1.0 pages', () => {
  it('builds the consultative transfer of call-transfer.md, example 2, with endpointType and @odata.type on the identity set', () => {
    const body = transferRequest(invitationParticipant(heidi, { endpointType: 'default', replacesCallId: 'e5d39592-99bd-4db8-bca8-30fb894ec51d' }));
    expect(body).toEqual({
      transferTarget: {
        '@odata.type': '#microsoft.graph.invitationParticipantInfo',
        endpointType: 'default',
        identity: {
          '@odata.type': '#microsoft.graph.identitySet',
          user: { '@odata.type': '#microsoft.graph.identity', id: '550fae72-d251-43ec-868c-373732c2704f', displayName: 'Heidi Steen' },
        },
        replacesCallId: 'e5d39592-99bd-4db8-bca8-30fb894ec51d',
      },
    });
    expect(transferRequestSchema.safeParse(body).success).toBe(true);
  });

  it('adds the transferee a transfer from a group call needs (call-transfer.md, example 5)', () => {
    const transferee = participantInfo(identitySet('user', { id: '751f6800-3180-414d-bd94-333364659951', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' }), '909c6581-5130-43e9-88f3-fcb3582cde37');
    const body = transferRequest(invitationParticipant(heidi), { transferee, clientContext: 'transfer:1' });
    expect(body).toMatchObject({
      transferTarget: { endpointType: 'default', identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f' } } },
      transferee: { identity: { user: { id: '751f6800-3180-414d-bd94-333364659951', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' } }, participantId: '909c6581-5130-43e9-88f3-fcb3582cde37' },
      clientContext: 'transfer:1',
    });
    expect(transferRequestSchema.parse(body).transferee?.participantId).toBe('909c6581-5130-43e9-88f3-fcb3582cde37');
  });

  it('sends callbackUri, timeout and routing policies on redirect (call-redirect.md)', () => {
    const body = redirectRequest([invitationParticipant(heidi)], { callbackUri: 'https://bot.contoso.com/callback', timeoutSeconds: 60, routingPolicies: ['disableForwarding'] });
    expect(body).toMatchObject({ callbackUri: 'https://bot.contoso.com/callback', timeout: 60, routingPolicies: ['disableForwarding'] });
    expect(redirectRequestSchema.safeParse(body).success).toBe(true);
  });

  it('builds the create request of application-post-calls.md, example 1, with callOptions', () => {
    const body = createCallRequest({
      callbackUri: 'https://bot.contoso.com/callback',
      targets: [invitationParticipant(identitySet('user', { displayName: 'John', id: '112f7296-5fa4-42ca-bae8-6a692b15d4b8' }))],
      callOptions: { isContentSharingNotificationEnabled: true },
    });
    expect(body).toEqual({
      '@odata.type': '#microsoft.graph.call',
      callbackUri: 'https://bot.contoso.com/callback',
      targets: [
        {
          '@odata.type': '#microsoft.graph.invitationParticipantInfo',
          identity: {
            '@odata.type': '#microsoft.graph.identitySet',
            user: { '@odata.type': '#microsoft.graph.identity', displayName: 'John', id: '112f7296-5fa4-42ca-bae8-6a692b15d4b8' },
          },
        },
      ],
      requestedModalities: ['audio'],
      callOptions: { '@odata.type': '#microsoft.graph.outgoingCallOptions', isContentSharingNotificationEnabled: true },
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    });
    expect(createCallRequestSchema.safeParse(body).success).toBe(true);
  });

  it('answers with the prompts to prefetch, by resourceId, and prompts name the same resourceId', () => {
    const beep = { uri: 'https://cdn.contoso.com/beep.wav', resourceId: 'f8971b04-b53e-418c-9222-c82ce681a582' };
    const body = answerRequest({ callbackUri: 'https://bot.contoso.com/callback', preFetch: [beep], callOptions: { isContentSharingNotificationEnabled: true } });
    expect(body.mediaConfig).toEqual({
      '@odata.type': '#microsoft.graph.serviceHostedMediaConfig',
      preFetchMedia: [{ '@odata.type': '#microsoft.graph.mediaInfo', uri: beep.uri, resourceId: beep.resourceId }],
    });
    expect(body.callOptions).toEqual({ '@odata.type': '#microsoft.graph.incomingCallOptions', isContentSharingNotificationEnabled: true });
    expect(answerRequestSchema.safeParse(body).success).toBe(true);
    expect(mediaPrompt(beep)).toEqual({ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', ...beep } });
    expect(mediaPrompt(beep.uri).mediaInfo).toEqual({ '@odata.type': '#microsoft.graph.mediaInfo', uri: beep.uri });
  });

  it('joins a meeting by link with chatInfo and meetingInfo, and by meeting id without chatInfo', () => {
    const tid = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const oid = '5810cede-f3cc-42eb-b2c1-e9bd5d53ec96';
    const link = `https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0?context=%7b%22Tid%22%3a%22${tid}%22%2c%22Oid%22%3a%22${oid}%22%7d`;
    const byLink = createCallRequest({ callbackUri: 'https://bot.contoso.com/callback', join: parseJoinLink(link).target });
    expect(byLink).toMatchObject({
      chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId: '19:meeting_X@thread.v2', messageId: '0' },
      meetingInfo: {
        '@odata.type': '#microsoft.graph.organizerMeetingInfo',
        organizer: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: oid, tenantId: tid } },
        allowConversationWithoutHost: true,
      },
      tenantId: tid,
    });
    expect(createCallRequestSchema.safeParse(byLink).success).toBe(true);
    const byId = createCallRequest({ callbackUri: 'https://bot.contoso.com/callback', join: joinTargetFromMeetingId('1234567890', 'aBc123') });
    expect(byId).not.toHaveProperty('chatInfo');
    expect(byId.meetingInfo).toEqual({ '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '1234567890', passcode: 'aBc123' });
    expect(createCallRequestSchema.safeParse(byId).success).toBe(true);
  });
});
