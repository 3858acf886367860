import { parseJoinLink } from '@switchboard/graph-models';
import { SERVICE_HOSTED, type BotFixture, call, useBotFixture } from '../test/harness';

interface MeetingView {
  id: string;
  joinWebUrl: string;
  shortUrl: string;
  token: string;
  videoTeleconferenceId: string;
  joinMeetingIdSettings: { joinMeetingId: string; passcode: string };
  participants: { organizer: { identity: { user: { id: string } } } };
  state: string;
  calls: { callId: string; state: string; inLobby: boolean }[];
}
interface Entry {
  id: string;
  info: { identity: Record<string, { id?: string; displayName?: string }> };
  isMuted: boolean;
  isInLobby: boolean;
  mediaStreams: { mediaType: string; direction: string }[];
}

async function newMeeting(f: BotFixture, body: Record<string, unknown> = {}): Promise<MeetingView> {
  const res = await call(f.emulator, 'POST', '/emulator/meetings', { body: { lobbyTimeoutMs: 5_000, ...body } });
  expect(res.status).toBe(201);
  return res.json as MeetingView;
}

const control = (f: BotFixture, method: string, path: string, body?: unknown) => call(f.emulator, method, `/emulator/meetings${path}`, { body });

/** Joins by the meeting's link as the app, or as a guest with a name. */
async function join(f: BotFixture, m: MeetingView, how: { guest?: string; byId?: { passcode?: string }; token?: boolean } = {}) {
  const link = parseJoinLink(m.joinWebUrl).target;
  const meetingInfo = how.token
    ? { '@odata.type': '#microsoft.graph.tokenMeetingInfo', token: m.token }
    : how.byId
      ? { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: m.joinMeetingIdSettings.joinMeetingId, passcode: how.byId.passcode ?? null }
      : link.meetingInfo;
  return f.graph('POST', '', {
    callbackUri: f.bot.url,
    requestedModalities: ['audio'],
    mediaConfig: SERVICE_HOSTED,
    ...(how.byId || how.token ? {} : { chatInfo: link.chatInfo }),
    meetingInfo,
    ...(how.guest ? { source: { identity: { guest: { id: 'g-1', displayName: how.guest } } } } : {}),
  });
}

const rosters = (f: BotFixture, callId: string) =>
  f.bot.forCall(callId).filter((n) => n.resourceUrl.endsWith('/participants')).map((n) => n.resourceData as unknown as Entry[]);
const states = (f: BotFixture, callId: string) => f.bot.forCall(callId).filter((n) => n.resourceUrl === `/communications/calls/${callId}`).map((n) => n.resourceData);
const ended = (f: BotFixture, callId: string) => f.bot.waitFor('terminated', () => states(f, callId).find((s) => s.state === 'terminated'));

describe('meetings, the lobby and the people in them', () => {
  const f = useBotFixture('all');

  it('lets the app in at once when the scope is organization, with the organizer in the roster', async () => {
    const m = await newMeeting(f);
    const res = await join(f, m);
    expect(res.status).toBe(201);
    const callId = (res.json as { id: string }).id;
    const roster = await f.bot.waitFor('roster', () => rosters(f, callId).at(-1));
    expect(roster.map((p) => p.info.identity['user']?.id ?? 'bot')).toEqual(['bot', m.participants.organizer.identity.user.id]);
    expect(states(f, callId).map((s) => s.state)).toContain('established');
  });

  it('keeps a guest in the lobby (isInLobby, still establishing) until admitted', async () => {
    const m = await newMeeting(f);
    const callId = ((await join(f, m, { guest: 'Notetaker' })).json as { id: string }).id;
    const lobby = await f.bot.waitFor('lobby roster', () => rosters(f, callId).at(-1));
    expect(lobby).toEqual([expect.objectContaining({ isInLobby: true, info: expect.objectContaining({ identity: expect.objectContaining({ guest: { id: 'g-1', displayName: 'Notetaker' } }) }) })]);
    expect(states(f, callId).map((s) => s.state)).not.toContain('established');
    expect((await control(f, 'POST', `/${m.id}/lobby/${callId}/admit`)).status).toBe(200);
    await f.bot.waitFor('established', () => states(f, callId).some((s) => s.state === 'established'));
    await f.bot.waitFor('admitted roster', () => rosters(f, callId).at(-1)?.find((p) => p.info.identity['guest'])?.isInLobby === false);
    expect((await control(f, 'POST', `/${m.id}/lobby/${callId}/admit`)).status).toBe(409);
  });

  it('drops a guest nobody admits with 200/5855, and one who is denied with 200/5300', async () => {
    const m = await newMeeting(f, { lobbyTimeoutMs: 100 });
    const waited = ((await join(f, m, { guest: 'Waits' })).json as { id: string }).id;
    expect(await ended(f, waited)).toMatchObject({ resultInfo: { code: 200, subcode: 5855 } });
    const m2 = await newMeeting(f);
    const denied = ((await join(f, m2, { guest: 'Denied' })).json as { id: string }).id;
    await f.bot.waitFor('lobby', () => rosters(f, denied).length > 0);
    expect((await control(f, 'POST', `/${m2.id}/lobby/${denied}/deny`)).status).toBe(200);
    expect(await ended(f, denied)).toMatchObject({ resultInfo: { code: 200, subcode: 5300 } });
  });

  it('lets a guest bypass the lobby only when the scope is everyone', async () => {
    const m = await newMeeting(f, { lobbyBypass: 'everyone' });
    const callId = ((await join(f, m, { guest: 'Anyone' })).json as { id: string }).id;
    await f.bot.waitFor('established', () => states(f, callId).some((s) => s.state === 'established'));
  });

  it('holds the app in the lobby of a meeting that has not started, and lets it in when it starts', async () => {
    const m = await newMeeting(f, { started: false });
    const callId = ((await join(f, m)).json as { id: string }).id;
    await f.bot.waitFor('lobby', () => rosters(f, callId).at(-1)?.[0]?.isInLobby);
    expect((await control(f, 'POST', `/${m.id}/start`)).status).toBe(200);
    await f.bot.waitFor('established', () => states(f, callId).some((s) => s.state === 'established'));
  });

  it('ends every bot call with 200/5001 when the meeting ends, and a later join too', async () => {
    const m = await newMeeting(f);
    const callId = ((await join(f, m)).json as { id: string }).id;
    await f.bot.waitFor('established', () => states(f, callId).some((s) => s.state === 'established'));
    await control(f, 'POST', `/${m.id}/end`);
    expect(await ended(f, callId)).toMatchObject({ resultInfo: { code: 200, subcode: 5001 } });
    const late = ((await join(f, m)).json as { id: string }).id;
    expect(await ended(f, late)).toMatchObject({ resultInfo: { code: 200, subcode: 5001 } });
  });

  it('joins by meeting id with the passcode and by token; refuses a wrong passcode (403) and an unknown id (404)', async () => {
    const m = await newMeeting(f);
    expect((await join(f, m, { byId: { passcode: m.joinMeetingIdSettings.passcode } })).status).toBe(201);
    expect((await join(f, m, { token: true })).status).toBe(201);
    const wrong = await join(f, m, { byId: { passcode: 'nope' } });
    expect(wrong.status).toBe(403);
    const unknown = await join(f, { ...m, joinMeetingIdSettings: { joinMeetingId: '999999999999', passcode: 'x' } }, { byId: {} });
    expect(unknown.status).toBe(404);
    expect(m.shortUrl).toBe(`https://teams.microsoft.com/meet/${m.joinMeetingIdSettings.joinMeetingId}?p=${m.joinMeetingIdSettings.passcode}`);
  });

  it('tells admitted bots about people joining, muting (byte-identical repeats), sharing and leaving', async () => {
    const m = await newMeeting(f);
    const callId = ((await join(f, m)).json as { id: string }).id;
    await f.bot.waitFor('established', () => states(f, callId).some((s) => s.state === 'established'));
    const ada = (await control(f, 'POST', `/${m.id}/people`, { displayName: 'Ada', id: 'ada' })).json as { id: string };
    for (const muted of [true, false, true]) await control(f, 'POST', `/${m.id}/people/${ada.id}/mute`, { muted });
    await control(f, 'POST', `/${m.id}/people/${ada.id}/share`, { sharing: true });
    await control(f, 'DELETE', `/${m.id}/people/${ada.id}`);
    const adaIn = (r: Entry[]) => r.find((p) => p.id === 'ada');
    const all = await f.bot.waitFor('ada left', () => {
      const r = rosters(f, callId);
      return r.length >= 7 && !adaIn(r.at(-1)!) && r;
    });
    const tail = all.slice(-6);
    expect(tail.map((r) => adaIn(r)?.isMuted)).toEqual([false, true, false, true, true, undefined]);
    expect(JSON.stringify(tail[1])).toBe(JSON.stringify(tail[3]));
    expect(adaIn(tail[4])?.mediaStreams.some((s) => s.mediaType === 'videoBasedScreenSharing' && s.direction === 'sendOnly')).toBe(true);
    expect((await control(f, 'POST', `/${m.id}/people/nobody/mute`, { muted: true })).status).toBe(404);
  });
});

describe('online meetings (Graph)', () => {
  const f = useBotFixture('all');
  const users = (path: string, init: { body?: unknown } = {}) => call(f.emulator, init.body ? 'POST' : 'GET', `/v1.0${path}`, { token: f.token, ...init });

  it('creates a meeting for a user and finds it by join link, by meeting id and by VTC id', async () => {
    const created = await users('/users/org-1/onlineMeetings', { body: { subject: 'Standup', lobbyBypassSettings: { scope: 'everyone' } } });
    expect(created.status).toBe(201);
    const m = created.json as MeetingView & { subject: string };
    expect(m).toMatchObject({ subject: 'Standup', participants: { organizer: { identity: { user: { id: 'org-1' } } } }, lobbyBypassSettings: { scope: 'everyone' } });
    const q = (filter: string) => `?$filter=${encodeURIComponent(filter)}`;
    const byUrl = await users(`/users/org-1/onlineMeetings${q(`JoinWebUrl eq '${m.joinWebUrl}'`)}`);
    expect((byUrl.json as { value: { id: string }[] }).value.map((v) => v.id)).toEqual([m.id]);
    const byId = await users(`/users/org-1/onlineMeetings${q(`joinMeetingIdSettings/joinMeetingId eq '${m.joinMeetingIdSettings.joinMeetingId}'`)}`);
    expect((byId.json as { value: unknown[] }).value).toHaveLength(1);
    const byVtc = await users(`/communications/onlineMeetings/${q(`VideoTeleconferenceId eq '${m.videoTeleconferenceId}'`)}`);
    expect((byVtc.json as { value: unknown[] }).value).toHaveLength(1);
    expect((await users(`/users/org-1/onlineMeetings/${m.id}`)).status).toBe(200);
    expect((await users(`/users/someone-else/onlineMeetings/${m.id}`)).status).toBe(404);
    expect(((await users(`/users/someone-else/onlineMeetings${q(`JoinWebUrl eq '${m.joinWebUrl}'`)}`)).json as { value: unknown[] }).value).toEqual([]);
  });

  it('starts a meeting created for later at its start time, letting in a bot that waited in the lobby', async () => {
    const start = new Date(Date.now() + 400).toISOString();
    const m = (await users('/users/6f0c2d1e-4b3a-4c5d-8e9f-0a1b2c3d4e5f/onlineMeetings', { body: { startDateTime: start, lobbyBypassSettings: { scope: 'organization' } } })).json as MeetingView;
    const link = parseJoinLink(m.joinWebUrl).target;
    const res = await f.graph('POST', '', { callbackUri: f.bot.url, requestedModalities: ['audio'], mediaConfig: SERVICE_HOSTED, chatInfo: link.chatInfo, meetingInfo: link.meetingInfo });
    const callId = (res.json as { id: string }).id;
    const states = () => f.bot.forCall(callId).map((n) => n.resourceData.state);
    await f.bot.waitFor('lobby', () => f.bot.forCall(callId).some((n) => n.resourceUrl.endsWith('/participants')));
    expect(states()).not.toContain('established');
    await f.bot.waitFor('established at the start', () => states().includes('established'));
  });

  it('refuses a bad filter and an end before the start with 400', async () => {
    expect((await users('/users/org-1/onlineMeetings?$filter=subject%20eq%20%27x%27')).status).toBe(400);
    expect((await users('/users/org-1/onlineMeetings')).status).toBe(400);
    const bad = await users('/users/org-1/onlineMeetings', { body: { startDateTime: '2026-01-02T10:00:00Z', endDateTime: '2026-01-02T09:00:00Z' } });
    expect(bad.status).toBe(400);
  });
});
