import { randomUUID } from 'node:crypto';
import { waitUntil } from '@switchboard/dev-infra';
import { E2eHarness } from './support/harness';
import { MeetingsClient, type EmulatorMeeting } from './support/meetings-client';

jest.setTimeout(120_000);

/** Meetings joined through meeting-join, signaling and the emulator's meetings, each from its built app. */
describe('joining Teams meetings, end to end', () => {
  let h: E2eHarness;
  let api: MeetingsClient;

  beforeAll(async () => {
    h = await E2eHarness.start({ services: ['meeting-join'], serviceEnv: { 'meeting-join': { LOG_LEVEL: 'info', JOIN_MAX_HOLD_MS: '1000' } } });
    api = await MeetingsClient.start(h);
  }, 120_000);
  afterAll(async () => h?.stop());

  const lobbyOf = async (m: EmulatorMeeting) => {
    let calls: EmulatorMeeting['calls'] = [];
    await waitUntil(async () => (calls = (await api.meetingNow(m.id)).calls).some((c) => c.inLobby), `a bot in the lobby of ${m.id}`, 20_000, 50);
    return calls.find((c) => c.inLobby)?.callId as string;
  };
  const names = (people: { displayName?: string; inLobby: boolean }[]) => people.filter((p) => p.displayName).map((p) => p.displayName);

  it('a guest waits in the lobby, is admitted, follows people joining, muting twice and leaving, and leaves on request', async () => {
    const m = await api.meeting({ lobbyTimeoutMs: 60_000 });
    const id = await api.join({ joinUrl: m.joinWebUrl, as: 'guest', displayName: 'Notetaker' });
    await api.waitForState(id, 'inLobby');
    const callId = await lobbyOf(m);
    expect((await api.view(id)).callId).toBe(callId);
    await api.control(`/${m.id}/lobby/${callId}/admit`);
    await api.waitForState(id, 'joined');
    await api.waitForRoster(id, (p) => names(p).includes('Meeting Organizer'), 'the organizer');

    await api.control(`/${m.id}/people`, { displayName: 'Ada', id: 'ada' });
    await api.waitForRoster(id, (p) => names(p).includes('Ada'), 'Ada joining');
    // mute, unmute, mute, unmute: Graph sends the first and third (and second and fourth) rosters byte-identical.
    for (const muted of [true, false, true, false]) {
      await api.control(`/${m.id}/people/ada/mute`, { muted });
      await api.waitForRoster(id, (p) => p.find((x) => x.id === 'ada')?.muted === muted, `Ada ${muted ? 'muted' : 'unmuted'}`);
    }
    await api.control(`/${m.id}/people/ada/share`, { sharing: true });
    await api.waitForRoster(id, (p) => p.find((x) => x.id === 'ada')?.sharingScreen === true, 'Ada sharing her screen');
    await api.control(`/${m.id}/people/ada/mute`, { muted: true });
    await h.platform.emulator.http.send('DELETE', `${h.emulator.baseUrl}/emulator/meetings/${m.id}/people/ada`);
    await api.waitForRoster(id, (p) => !p.some((x) => x.id === 'ada'), 'Ada leaving');

    expect((await api.send('DELETE', `/v1/meetings/joins/${id}`)).status).toBe(202);
    const left = await api.waitForState(id, 'left');
    expect(left.reason).toMatchObject({ code: 'leftOnRequest' });
    expect(left.history.map((s) => s.state)).toEqual(['requested', 'joining', 'inLobby', 'joined', 'left']);
    expect(await h.graphActions(callId)).toContain('DELETE');
  });

  it('a guest nobody admits fails with the lobby timeout; one denied fails as not admitted', async () => {
    const waits = await api.meeting({ lobbyTimeoutMs: 500 });
    const timedOut = await api.join({ joinUrl: waits.joinWebUrl, as: 'guest', displayName: 'Waits' });
    expect(await api.waitForState(timedOut, 'failed')).toMatchObject({ reason: { code: 'lobbyTimeout' }, result: { code: 200, subcode: 5855, cause: expect.stringMatching(/lobby/) } });

    const strict = await api.meeting({ lobbyTimeoutMs: 60_000 });
    const denied = await api.join({ joinUrl: strict.joinWebUrl, as: 'guest', displayName: 'Denied' });
    await api.waitForState(denied, 'inLobby');
    await api.control(`/${strict.id}/lobby/${await lobbyOf(strict)}/deny`);
    expect(await api.waitForState(denied, 'failed')).toMatchObject({ reason: { code: 'notAdmitted' }, result: { code: 200, subcode: 5300 } });
  });

  it('waits for a meeting that has not started, and joins when it starts', async () => {
    const m = await api.meeting({ started: false });
    const id = await api.join({ joinUrl: m.joinWebUrl });
    await api.waitForState(id, 'inLobby');
    await api.control(`/${m.id}/start`);
    await api.waitForState(id, 'joined');
  });

  it('joins by meeting id and passcode, by short link, and by token; a wrong passcode fails as refused', async () => {
    const m = await api.meeting({ lobbyBypass: 'everyone' });
    const { joinMeetingId, passcode } = m.joinMeetingIdSettings;
    const ids = [
      await api.join({ meetingId: joinMeetingId.replace(/(\d{3})(?=\d)/g, '$1 '), passcode }),
      await api.join({ joinUrl: m.shortUrl, as: 'guest', displayName: 'Short' }),
      await api.join({ token: m.token }),
    ];
    for (const id of ids) await api.waitForState(id, 'joined');
    const wrong = await api.join({ meetingId: joinMeetingId, passcode: 'WrongPass1' });
    expect(await api.waitForState(wrong, 'failed')).toMatchObject({ reason: { code: 'refused', message: expect.stringMatching(/403|passcode/i) } });
  });

  it('ends the join when the meeting ends', async () => {
    const m = await api.meeting();
    const id = await api.join({ joinUrl: m.joinWebUrl });
    await api.waitForState(id, 'joined');
    await api.control(`/${m.id}/end`);
    expect(await api.waitForState(id, 'left')).toMatchObject({ reason: { code: 'meetingEnded' }, result: { code: 200, subcode: 5001 } });
  });

  it('creates and looks up an online meeting, and carries out a join scheduled at its start after a meeting-join restart', async () => {
    const start = new Date(Date.now() + 6_000).toISOString();
    const organizerId = randomUUID();
    const created = await api.send<{ id: string; joinWebUrl: string; videoTeleconferenceId: string; joinMeetingIdSettings: { joinMeetingId: string } }>('POST', '/v1/online-meetings', {
      organizerId,
      subject: 'Planning',
      startDateTime: start,
      lobbyBypass: 'everyone',
    });
    expect(created.status).toBe(201);
    const meeting = created.body;
    const found = await api.send<{ id: string }>('GET', `/v1/online-meetings?joinUrl=${encodeURIComponent(meeting.joinWebUrl)}`);
    expect({ status: found.status, id: found.body.id }).toEqual({ status: 200, id: meeting.id });
    expect((await api.send<{ id: string }>('GET', `/v1/online-meetings?vtcId=${meeting.videoTeleconferenceId}`)).body.id).toBe(meeting.id);
    expect((await api.send<{ id: string }>('GET', `/v1/online-meetings?meetingId=${meeting.joinMeetingIdSettings.joinMeetingId}&organizerId=${organizerId}`)).body.id).toBe(meeting.id);
    expect((await api.send('GET', '/v1/online-meetings?vtcId=999')).status).toBe(404);

    const id = await api.join({ joinUrl: meeting.joinWebUrl, at: 'meetingStart' });
    expect(await api.view(id)).toMatchObject({ state: 'scheduled', dueAt: new Date(start).toISOString() });
    const first = h.platform.services.find((s) => s.name === 'meeting-join');
    await first?.process.stop();
    await h.platform.startService('meeting-join');
    await api.waitForState(id, 'joined', 30_000);
  });

  it('with two meeting-join replicas, one request gives one bot', async () => {
    const replicas = h.platform.services.filter((s) => s.name === 'meeting-join' && s.process.running);
    if (replicas.length < 2) replicas.push(await h.platform.startService('meeting-join'));
    const m = await api.meeting({ lobbyBypass: 'everyone' });
    const key = randomUUID();
    const [a, b] = await Promise.all(replicas.slice(0, 2).map((replica) => api.join({ joinUrl: m.joinWebUrl }, { replica, idempotencyKey: key })));
    expect(a).toBe(b);
    await api.waitForState(a as string, 'joined');
    await new Promise((r) => setTimeout(r, 500));
    expect((await api.meetingNow(m.id)).calls).toHaveLength(1);
  });
});
