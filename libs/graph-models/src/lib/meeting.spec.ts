import { meetingInfoSchema, onlineMeetingSchema } from './meeting';

describe('meetingInfoSchema', () => {
  it('reads the three ways to name a meeting', () => {
    const organizer = { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { user: { id: 'o', tenantId: 't' } } };
    expect(meetingInfoSchema.parse(organizer)).toEqual(organizer);
    expect(meetingInfoSchema.parse({ '@odata.type': '#microsoft.graph.tokenMeetingInfo', token: 'tok' })).toMatchObject({ token: 'tok' });
    expect(
      meetingInfoSchema.parse({ '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '123456', passcode: null }),
    ).toMatchObject({ joinMeetingId: '123456', passcode: null });
  });

  it('refuses an unknown kind and an empty token or meeting id', () => {
    expect(meetingInfoSchema.safeParse({ '@odata.type': '#microsoft.graph.meetingInfo' }).success).toBe(false);
    expect(meetingInfoSchema.safeParse({ '@odata.type': '#microsoft.graph.tokenMeetingInfo', token: '' }).success).toBe(false);
    expect(meetingInfoSchema.safeParse({ '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo' }).success).toBe(false);
  });
});

describe('onlineMeetingSchema', () => {
  it('reads a created meeting', () => {
    const meeting = onlineMeetingSchema.parse({
      id: 'MSpkYzE3',
      joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0',
      subject: 'Standup',
      participants: { organizer: { identity: { user: { id: 'o' } }, upn: 'o@example.test', role: 'presenter' }, attendees: [] },
      joinMeetingIdSettings: { joinMeetingId: '1234567890', passcode: 'abc', isPasscodeRequired: true },
      lobbyBypassSettings: { scope: 'organization', isDialInBypassEnabled: false },
    });
    expect(meeting.joinMeetingIdSettings?.passcode).toBe('abc');
    expect(meeting.lobbyBypassSettings?.scope).toBe('organization');
  });

  it('refuses a meeting without id or with an unknown lobby scope', () => {
    expect(onlineMeetingSchema.safeParse({ subject: 'x' }).error!.issues[0].path).toEqual(['id']);
    expect(onlineMeetingSchema.safeParse({ id: 'm', lobbyBypassSettings: { scope: 'anyone' } }).success).toBe(false);
  });
});
