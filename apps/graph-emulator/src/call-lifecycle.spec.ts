import { SERVICE_HOSTED, answeredCall, call, mediaPrompt, ringBot, useBotFixture } from '../test/harness';

const states = (f: ReturnType<typeof useBotFixture>, callId: string) =>
  f.bot.forCall(callId).filter((n) => n.resourceUrl === `/communications/calls/${callId}`).map((n) => n.resourceData.state);
const terminated = (f: ReturnType<typeof useBotFixture>, callId: string) =>
  f.bot.waitFor('terminated', () => f.bot.forCall(callId).find((n) => n.resourceData.state === 'terminated'));

describe('call timeouts', () => {
  // Timeouts long enough that a loaded machine still answers and sends its keepAlive well within them.
  const KEEPALIVE_TIMEOUT_MS = 3000;
  const f = useBotFixture('all', { timings: { answerTimeoutMs: 1500, keepAliveTimeoutMs: KEEPALIVE_TIMEOUT_MS } });

  it('ends an incoming call the bot never answers with 408', async () => {
    const callId = await ringBot(f);
    const end = await terminated(f, callId);
    expect(end.resourceData['resultInfo']).toMatchObject({ code: 408 });
  });

  it('ends an established call without keepAlive with 408/8537, and keepAlive postpones it', async () => {
    const callId = await answeredCall(f);
    await new Promise((r) => setTimeout(r, KEEPALIVE_TIMEOUT_MS / 3));
    const keptAliveBefore = Date.now();
    expect((await f.graph('POST', `/${callId}/keepAlive`)).status).toBe(200);
    const end = await f.bot.waitFor('terminated', () => f.bot.forCall(callId).find((n) => n.resourceData.state === 'terminated'), 2 * KEEPALIVE_TIMEOUT_MS);
    // A timer never fires early: without the postponement the call would have ended a third of a timeout sooner.
    expect(Date.now() - keptAliveBefore).toBeGreaterThanOrEqual(KEEPALIVE_TIMEOUT_MS);
    expect(end.resourceData['resultInfo']).toMatchObject({ code: 408, subcode: 8537 });
  });
});

describe('transfers, redirects and stop tones', () => {
  // Recordings run long here so that only a stop tone can end them within the test.
  const f = useBotFixture('all', { timings: { recordMs: 5_000 } });

  it('transfer goes transferring → transferAccepted → terminated 200/7015', async () => {
    const callId = await answeredCall(f);
    const res = await f.graph('POST', `/${callId}/transfer`, {
      transferTarget: { '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id: 'agent-7' } } },
    });
    expect(res.status).toBe(202);
    const end = await terminated(f, callId);
    expect(states(f, callId).slice(-3)).toEqual(['transferring', 'transferAccepted', 'terminated']);
    expect(end.resourceData['resultInfo']).toMatchObject({ code: 200, subcode: 7015 });
  });

  it('a declined transfer returns the call to established with a failure result', async () => {
    await call(f.emulator, 'PUT', '/emulator/callees/agent-busy', { body: { behaviour: 'decline' } });
    const callId = await answeredCall(f);
    await f.graph('POST', `/${callId}/transfer`, { transferTarget: { identity: { user: { id: 'agent-busy' } } } });
    await f.bot.waitFor('back to established', () => states(f, callId).slice(-2).join() === 'transferring,established');
    expect(f.bot.forCall(callId).at(-1)!.resourceData['resultInfo']).toMatchObject({ code: 500 });
    expect((await f.graph('GET', `/${callId}`)).json).toMatchObject({ state: 'established' });
  });

  it('redirect answers 202 and ends the incoming call; answering it afterwards is a 404', async () => {
    const callId = await ringBot(f);
    const res = await f.graph('POST', `/${callId}/redirect`, { targets: [{ identity: { user: { id: 'u2' } } }], timeout: 30 });
    expect(res.status).toBe(202);
    await terminated(f, callId);
    expect(states(f, callId)).toEqual(['incoming', 'redirecting', 'terminated']);
    const late = await f.graph('POST', `/${callId}/answer`, { callbackUri: f.bot.url, acceptedModalities: ['audio'], mediaConfig: SERVICE_HOSTED });
    expect(late.status).toBe(404);
  });

  it('a stop tone ends a recordResponse early with completionReason stopToneDetected', async () => {
    const callId = await answeredCall(f);
    await f.graph('POST', `/${callId}/subscribeToTone`, {});
    const op = (await f.graph('POST', `/${callId}/recordResponse`, { stopTones: ['#'], maxRecordDurationInSeconds: 60 })).json as { id: string };
    await call(f.emulator, 'POST', `/emulator/calls/${callId}/tones`, { body: { tones: '#' } });
    const done = await f.bot.waitFor('record done', () => f.bot.forCall(callId).find((n) => n.resourceUrl.endsWith(op.id)));
    expect(done.resourceData).toMatchObject({ status: 'completed', completionReason: 'stopToneDetected' });
  });
});

describe('meetings joined by the bot', () => {
  const f = useBotFixture('all');

  it('joins, sends the roster, and mute/unmute update the bot participant', async () => {
    const created = await f.graph('POST', '', {
      callbackUri: f.bot.url,
      requestedModalities: ['audio'],
      mediaConfig: SERVICE_HOSTED,
      chatInfo: { threadId: '19:meeting_X@thread.v2', messageId: '0' },
      meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { user: { id: 'org-1', tenantId: f.emulator.tenantId } } },
      tenantId: f.emulator.tenantId,
    });
    expect(created.status).toBe(201);
    const { id, myParticipantId } = created.json as { id: string; myParticipantId: string };
    const rosterOf = () => f.bot.forCall(id).filter((n) => n.resourceUrl.endsWith('/participants'));
    await f.bot.waitFor('roster', () => rosterOf().length === 1);

    const mute = await f.graph('POST', `/${id}/mute`, { clientContext: 'm' });
    expect(mute.json).toMatchObject({ '@odata.type': '#microsoft.graph.muteParticipantOperation', status: 'completed' });
    await f.bot.waitFor('roster after mute', () => rosterOf().length === 2);
    const me = (rosterOf()[1]!.resourceData as unknown as { id: string; isMuted: boolean }[]).find((p) => p.id === myParticipantId);
    expect(me?.isMuted).toBe(true);
    expect((await f.graph('POST', `/${id}/unmute`, {})).json).toMatchObject({ '@odata.type': '#microsoft.graph.unmuteParticipantOperation' });
  });

  it('refuses a create without targets or meetingInfo, naming targets', async () => {
    const res = await f.graph('POST', '', { callbackUri: f.bot.url, requestedModalities: ['audio'], mediaConfig: SERVICE_HOSTED });
    expect(res.status).toBe(400);
    expect((res.json as { error: { message: string } }).error.message).toContain('targets:');
    expect(((await call(f.emulator, 'GET', '/emulator/calls')).json as { value: unknown[] }).value).toHaveLength(1);
  });

  it('plays prompts only while a call is established', async () => {
    const callId = await ringBot(f);
    expect((await f.graph('POST', `/${callId}/playPrompt`, { prompts: [mediaPrompt('a')] })).status).toBe(409);
  });
});
