import { SERVICE_HOSTED, type BotFixture, answeredCall, call, operationDone, snapshotOf, useBotFixture } from '../test/harness';

interface RosterEntry {
  id: string;
  info: { identity: { user?: { id: string }; application?: { id: string } } };
  mediaStreams: { serverMuted: boolean; sourceId: string }[];
  isMuted: boolean;
  removedState?: { reason: string };
}
interface Delta {
  '@odata.type': string;
  sequenceNumber: number;
  participants: RosterEntry[];
}

const user = (id: string) => ({ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id, displayName: id } } });
const userIds = (entries: RosterEntry[]) => entries.map((p) => p.info.identity.user?.id ?? 'bot');

function rosters(f: BotFixture, callId: string) {
  return f.bot.forCall(callId).filter((n) => n.resourceUrl === `/communications/calls/${callId}/participants`).map((n) => n.resourceData as unknown);
}

async function meeting(f: BotFixture, delta = false, targets?: unknown[]) {
  const res = await f.graph('POST', '', {
    callbackUri: f.bot.url,
    requestedModalities: ['audio'],
    mediaConfig: SERVICE_HOSTED,
    ...(targets
      ? { targets }
      : {
          chatInfo: { threadId: '19:meeting_G@thread.v2', messageId: '0' },
          meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { user: { id: 'organizer', tenantId: f.emulator.tenantId } } },
        }),
    callOptions: { '@odata.type': '#microsoft.graph.outgoingCallOptions', isDeltaRosterEnabled: delta },
  });
  expect(res.status).toBe(201);
  const id = (res.json as { id: string }).id;
  await f.bot.waitFor('established and its roster', () => rosters(f, id).length > 0);
  return id;
}

describe('group calls and rosters', () => {
  const f = useBotFixture('all');
  const rule = (key: string, behaviour: string) => call(f.emulator, 'PUT', `/emulator/callees/${key}`, { body: { behaviour } });

  beforeAll(async () => {
    await rule('g-declines', 'decline');
    await rule('g-busy', 'busy');
  });

  it('a call with several targets sends full rosters as people answer; a decliner never appears', async () => {
    const id = await meeting(f, false, [user('g-ann'), user('g-declines'), user('g-bob')]);
    const latest = () => rosters(f, id).at(-1) as RosterEntry[] | undefined;
    await f.bot.waitFor('both joined', () => (latest()?.length ?? 0) === 3);
    expect(userIds(rosters(f, id)[0] as RosterEntry[])).toEqual(['bot']);
    expect(userIds(latest()!).sort()).toEqual(['bot', 'g-ann', 'g-bob']);
    await new Promise((r) => setTimeout(r, 100));
    expect(userIds(latest()!)).not.toContain('g-declines');
    const listed = (await f.graph('GET', `/${id}/participants`)).json as { value: RosterEntry[] };
    expect(listed.value.map((p) => p.id)).toEqual(latest()!.map((p) => p.id));
    expect(new Set(listed.value.map((p) => p.mediaStreams[0]!.sourceId)).size).toBe(3);
  });

  it('invite: 200 with a running operation, the invitee joins the roster, then the operation is deleted as completed', async () => {
    const id = await meeting(f);
    const res = await f.graph('POST', `/${id}/participants/invite`, { participants: [user('g-carol')], clientContext: 'inv' });
    expect(res.status).toBe(200);
    const op = res.json as { id: string };
    expect(op).toMatchObject({ '@odata.type': '#microsoft.graph.inviteParticipantsOperation', status: 'running', clientContext: 'inv', participants: [user('g-carol')] });
    const done = await operationDone(f, id, op.id);
    expect(done).toMatchObject({ changeType: 'deleted', resourceData: { status: 'completed', resultInfo: { code: 200 } } });
    expect(userIds(rosters(f, id).at(-1) as RosterEntry[])).toEqual(['bot', 'organizer', 'g-carol']);
    const opAt = f.bot.forCall(id).indexOf(done);
    const rosterAt = f.bot.forCall(id).findIndex((n, i) => i < opAt && n.resourceUrl.endsWith('/participants') && userIds(n.resourceData as unknown as RosterEntry[]).includes('g-carol'));
    expect(rosterAt).toBeGreaterThan(-1);
    expect((await f.graph('GET', `/${id}/operations/${op.id}`)).json).toMatchObject({ id: op.id, status: 'completed' });
  });

  it('a declined invite fails the operation with a resultInfo and adds no roster entry', async () => {
    const id = await meeting(f);
    const before = rosters(f, id).length;
    const op = (await f.graph('POST', `/${id}/participants/invite`, { participants: [user('g-declines')] })).json as { id: string };
    const done = await operationDone(f, id, op.id);
    expect(done.resourceData).toMatchObject({ status: 'failed', resultInfo: { code: 603 } });
    expect(rosters(f, id)).toHaveLength(before);
    expect(((await f.graph('GET', `/${id}/participants`)).json as { value: RosterEntry[] }).value).toHaveLength(2);
  });

  it('refuses an invite on a P2P call, of six people, or on an unknown call, changing nothing', async () => {
    const p2p = await answeredCall(f);
    const one = await f.graph('POST', `/${p2p}/participants/invite`, { participants: [user('x')] });
    expect(one.status).toBe(400);
    expect((one.json as { error: { message: string } }).error.message).toMatch(/group call/);
    const id = await meeting(f);
    const six = await f.graph('POST', `/${id}/participants/invite`, { participants: ['a', 'b', 'c', 'd', 'e', 'f'].map(user) });
    expect(six.status).toBe(400);
    expect((six.json as { error: { message: string } }).error.message).toContain('participants:');
    expect((await f.graph('POST', '/no-such-call/participants/invite', { participants: [user('x')] })).status).toBe(404);
    expect(((await snapshotOf<{ operations: unknown[] }>(f, id)).operations)).toEqual([]);
  });

  it('delta roster: numbered deltas with only the changes; mute shows serverMuted and a removed participant carries removedState', async () => {
    const id = await meeting(f, true);
    const deltas = () => rosters(f, id).map((r) => (r as Delta[])[0]!);
    await f.bot.waitFor('first delta', () => deltas().length === 1);
    expect(deltas()[0]).toMatchObject({ '@odata.type': '#microsoft.graph.deltaParticipants', sequenceNumber: 1 });
    expect(userIds(deltas()[0]!.participants)).toEqual(['bot', 'organizer']);

    const op = (await f.graph('POST', `/${id}/participants/invite`, { participants: [user('g-dave')] })).json as { id: string };
    await operationDone(f, id, op.id);
    const joined = deltas()[1]!;
    expect(joined.sequenceNumber).toBe(2);
    expect(userIds(joined.participants)).toEqual(['g-dave']);
    const dave = joined.participants[0]!.id;

    const mute = await f.graph('POST', `/${id}/participants/${dave}/mute`, { clientContext: 'm' });
    expect(mute.status).toBe(200);
    expect(mute.json).toMatchObject({ '@odata.type': '#microsoft.graph.muteParticipantOperation', status: 'completed', clientContext: 'm' });
    await f.bot.waitFor('mute delta', () => deltas().length === 3);
    expect(deltas()[2]).toMatchObject({ sequenceNumber: 3, participants: [{ id: dave, isMuted: true, mediaStreams: [{ serverMuted: true }] }] });

    expect((await f.graph('DELETE', `/${id}/participants/${dave}`)).status).toBe(204);
    await f.bot.waitFor('removal delta', () => deltas().length === 4);
    expect(deltas()[3]).toMatchObject({ sequenceNumber: 4, participants: [{ id: dave, removedState: { reason: 'removed' } }] });
    expect(userIds(((await f.graph('GET', `/${id}/participants`)).json as { value: RosterEntry[] }).value)).toEqual(['bot', 'organizer']);
  });

  it('remove refuses an unknown participant (404) and the bot itself (400), changing nothing', async () => {
    const id = await meeting(f);
    const { myParticipantId } = (await f.graph('GET', `/${id}`)).json as { myParticipantId: string };
    expect((await f.graph('DELETE', `/${id}/participants/nobody`)).status).toBe(404);
    expect((await f.graph('DELETE', `/${id}/participants/${myParticipantId}`)).status).toBe(400);
    expect(((await f.graph('GET', `/${id}/participants`)).json as { value: unknown[] }).value).toHaveLength(2);
  });

  it('hold music: 202 with a running operation then completed; one participant on hold at a time', async () => {
    const id = await meeting(f, false, [user('g-erin'), user('g-frank')]);
    await f.bot.waitFor('both joined', () => ((rosters(f, id).at(-1) as RosterEntry[] | undefined)?.length ?? 0) === 3);
    const [erin, frank] = ((rosters(f, id).at(-1) as RosterEntry[]).filter((p) => p.info.identity.user)).map((p) => p.id);
    const start = await f.graph('POST', `/${id}/participants/${erin}/startHoldMusic`, { clientContext: 'hold' });
    expect(start.status).toBe(202);
    const startOp = start.json as { id: string };
    expect(startOp).toMatchObject({ '@odata.type': '#microsoft.graph.startHoldMusicOperation', status: 'running', clientContext: 'hold' });
    expect((await operationDone(f, id, startOp.id)).resourceData).toMatchObject({ status: 'completed', resultInfo: { code: 200 } });

    const second = await f.graph('POST', `/${id}/participants/${frank}/startHoldMusic`, {});
    expect(second.status).toBe(409);
    expect((await f.graph('POST', `/${id}/participants/${frank}/stopHoldMusic`, {})).status).toBe(409);
    const stop = await f.graph('POST', `/${id}/participants/${erin}/stopHoldMusic`, {});
    expect(stop.status).toBe(202);
    expect((await operationDone(f, id, (stop.json as { id: string }).id)).resourceData).toMatchObject({
      '@odata.type': '#microsoft.graph.stopHoldMusicOperation',
      status: 'completed',
    });
    expect((await snapshotOf<{ participants: { id: string; onHold: boolean }[] }>(f, id)).participants.every((p) => !p.onHold)).toBe(true);
    expect((await f.graph('POST', `/${id}/participants/${frank}/startHoldMusic`, {})).status).toBe(202);
  });

  it('GET operations/{id} answers 404 for an unknown operation', async () => {
    const id = await meeting(f);
    expect((await f.graph('GET', `/${id}/operations/nope`)).status).toBe(404);
  });
});
