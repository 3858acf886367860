import { createRemoteJWKSet, jwtVerify } from 'jose';
import { Agent as HttpsAgent } from 'node:https';
import { SERVICE_HOSTED, answeredCall, call, mediaPrompt as prompt, ringBot, useBotFixture } from '../test/harness';

describe('incoming call flow against a bot webhook', () => {
  const f = useBotFixture('each');
  const ring = () => ringBot(f, { id: 'caller-1', displayName: 'Ada' });
  const answered = () => answeredCall(f, SERVICE_HOSTED, { id: 'caller-1', displayName: 'Ada' });
  const graph = (method: string, path: string, body?: unknown) => f.graph(method, path, body);

  const operationNotices = (callId: string) => f.bot.forCall(callId).filter((n) => n.resourceUrl.includes('/operations/'));

  it('sends created/incoming, then establishing and established after answer, each signed', async () => {
    const callId = await answered();
    const notes = f.bot.forCall(callId);
    expect(notes.map((n) => [n.changeType, n.resourceData.state])).toEqual([
      ['created', 'incoming'],
      ['updated', 'establishing'],
      ['updated', 'established'],
    ]);
    const created = f.bot.posts[0]!.body;
    expect(created['@odata.type']).toBe('#microsoft.graph.commsNotifications');
    const first = created.value[0]!;
    expect(first).toMatchObject({
      '@odata.type': '#microsoft.graph.commsNotification',
      resourceUrl: `/communications/calls/${callId}`,
      resource: `/app/calls/${callId}`,
    });
    expect(first.resourceData).toMatchObject({
      '@odata.type': '#microsoft.graph.call',
      id: callId,
      direction: 'incoming',
      tenantId: f.emulator.tenantId,
      source: { identity: { user: { id: 'caller-1', displayName: 'Ada' } } },
      targets: [{ identity: { application: { id: f.emulator.botAppId } } }],
    });
    expect(first.resourceData['myParticipantId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.resourceData['callChainId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(notes[2]!.resourceData['mediaState']).toMatchObject({ audio: 'active' });

    // Every POST carries a bearer JWT that verifies against the JWKS named by the served OpenID configuration.
    const config = (await call(f.emulator, 'GET', '/botframework/v1/.well-known/OpenIdConfiguration')).json as { jwks_uri: string; issuer: string };
    expect(config.issuer).toBe('https://api.botframework.com');
    const jwks = createRemoteJWKSet(new URL(config.jwks_uri), { agent: new HttpsAgent({ ca: f.emulator.caPem }) });
    for (const post of f.bot.posts) {
      const jwt = /^Bearer (.+)$/.exec(post.headers.authorization ?? '')?.[1] ?? '';
      const { payload, protectedHeader } = await jwtVerify(jwt, jwks, { issuer: 'https://api.botframework.com', audience: f.emulator.botAppId, algorithms: ['RS256'] });
      expect(payload['tid']).toBe(f.emulator.tenantId);
      expect(protectedHeader.kid).toBeTruthy();
      expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(600);
    }
  });

  it('refuses a second answer with 409 and leaves the call established', async () => {
    const callId = await answered();
    const res = await graph('POST', `/${callId}/answer`, { callbackUri: f.bot.url, acceptedModalities: ['audio'], mediaConfig: SERVICE_HOSTED });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ error: { code: 'Conflict' } });
    expect(((await graph('GET', `/${callId}`)).json as { state: string }).state).toBe('established');
  });

  it('plays prompts in FIFO order and reports each end as a deleted operation', async () => {
    const callId = await answered();
    const first = await graph('POST', `/${callId}/playPrompt`, { prompts: [prompt('a'), prompt('b')], clientContext: 'menu' });
    expect(first.status).toBe(200);
    const op1 = first.json as { id: string; status: string; '@odata.type': string; clientContext: string };
    expect(op1).toMatchObject({ '@odata.type': '#microsoft.graph.playPromptOperation', status: 'running', clientContext: 'menu' });
    expect(first.headers.get('location')).toBe(`${f.emulator.baseUrl}/v1.0/communications/calls/${callId}/operations/${op1.id}`);
    const op2 = (await graph('POST', `/${callId}/playPrompt`, { prompts: [prompt('c')] })).json as { id: string };

    await f.bot.waitFor('both prompts done', () => operationNotices(callId).length === 2);
    const done = operationNotices(callId);
    expect(done.map((n) => n.resourceUrl)).toEqual([
      `/communications/calls/${callId}/operations/${op1.id}`,
      `/communications/calls/${callId}/operations/${op2.id}`,
    ]);
    expect(done[0]).toMatchObject({
      changeType: 'deleted',
      resourceData: { '@odata.type': '#microsoft.graph.playPromptOperation', status: 'completed', resultInfo: { code: 200, subcode: 0 }, clientContext: 'menu' },
    });
    const snapshot = (await call(f.emulator, 'GET', `/emulator/calls/${callId}`)).json as { promptsPlayed: { uri: string }[] };
    expect(snapshot.promptsPlayed.map((p) => p.uri)).toEqual(['a', 'b', 'c'].map((n) => `https://cdn.example/${n}.wav`));
  });

  it('cancelMediaProcessing completes at once and fails the running and queued prompts', async () => {
    const callId = await answered();
    const running = (await graph('POST', `/${callId}/playPrompt`, { prompts: [prompt('long'), prompt('long2')] })).json as { id: string };
    const queued = (await graph('POST', `/${callId}/playPrompt`, { prompts: [prompt('next')] })).json as { id: string };
    const cancel = await graph('POST', `/${callId}/cancelMediaProcessing`, { clientContext: 'stop' });
    expect(cancel.status).toBe(200);
    expect(cancel.json).toMatchObject({ '@odata.type': '#microsoft.graph.cancelMediaProcessingOperation', status: 'completed' });

    await f.bot.waitFor('cancellations', () => operationNotices(callId).length === 2);
    const notes = operationNotices(callId);
    expect(notes.map((n) => n.resourceUrl.split('/').pop())).toEqual([running.id, queued.id]);
    for (const n of notes) {
      expect(n.resourceData).toMatchObject({ status: 'failed', resultInfo: { code: 400, subcode: 8508 }, completionReason: 'mediaOperationCanceled' });
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(operationNotices(callId)).toHaveLength(2);
    const snapshot = (await call(f.emulator, 'GET', `/emulator/calls/${callId}`)).json as { promptsPlayed: unknown[] };
    expect(snapshot.promptsPlayed).toEqual([]);
  });

  it('delivers pressed keys as toneInfo updates with increasing sequence ids after subscribeToTone', async () => {
    const callId = await answered();
    const early = await call(f.emulator, 'POST', `/emulator/calls/${callId}/tones`, { body: { tones: '1' } });
    expect(early.status).toBe(409);

    const sub = await graph('POST', `/${callId}/subscribeToTone`, { clientContext: 'tones' });
    expect(sub.json).toMatchObject({ '@odata.type': '#microsoft.graph.subscribeToToneOperation', status: 'completed' });
    const bad = await call(f.emulator, 'POST', `/emulator/calls/${callId}/tones`, { body: { tones: '1x' } });
    expect(bad.status).toBe(400);

    const press = await call(f.emulator, 'POST', `/emulator/calls/${callId}/tones`, { body: { tones: '1#*', gapMs: 5 } });
    expect(press.status).toBe(202);
    await f.bot.waitFor('three tones', () => f.bot.forCall(callId).filter((n) => n.resourceData['toneInfo']).length === 3);
    const tones = f.bot.forCall(callId).flatMap((n) => (n.resourceData['toneInfo'] ? [n.resourceData['toneInfo']] : []));
    expect(tones).toEqual([
      { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: 1, tone: 'tone1' },
      { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: 2, tone: 'pound' },
      { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: 3, tone: 'star' },
    ]);
  });

  it('person hangs up: terminating, then terminated 200/4097, then nothing more', async () => {
    const callId = await answered();
    await graph('POST', `/${callId}/playPrompt`, { prompts: [prompt('a')] });
    expect((await call(f.emulator, 'POST', `/emulator/calls/${callId}/hangup`)).status).toBe(202);
    await f.bot.waitFor('terminated', () => f.bot.forCall(callId).some((n) => n.changeType === 'deleted' && n.resourceData.state === 'terminated'));
    await new Promise((r) => setTimeout(r, 150));
    const tail = f.bot.forCall(callId).slice(-2);
    expect(tail.map((n) => [n.changeType, n.resourceData.state])).toEqual([
      ['updated', 'terminating'],
      ['deleted', 'terminated'],
    ]);
    expect(tail[1]!.resourceData['resultInfo']).toMatchObject({ code: 200, subcode: 4097 });
    expect(operationNotices(callId)).toHaveLength(0);
    expect((await graph('POST', `/${callId}/keepAlive`)).status).toBe(404);
    expect((await call(f.emulator, 'POST', `/emulator/calls/${callId}/hangup`)).status).toBe(409);
  });

  it('bot hangs up with DELETE: 204 then terminated 200/7000; keepAlive works only while live', async () => {
    const callId = await answered();
    expect((await graph('POST', `/${callId}/keepAlive`)).status).toBe(200);
    expect((await graph('DELETE', `/${callId}`)).status).toBe(204);
    await f.bot.waitFor('terminated', () => f.bot.forCall(callId).some((n) => n.resourceData.state === 'terminated'));
    const last = f.bot.forCall(callId).at(-1)!;
    expect(last).toMatchObject({ changeType: 'deleted', resourceData: { state: 'terminated', resultInfo: { code: 200, subcode: 7000 } } });
    expect((await graph('GET', `/${callId}`)).status).toBe(404);
    expect((await graph('POST', `/${callId}/keepAlive`)).status).toBe(404);
  });

  it('reject ends an incoming call with a deleted/terminated notification', async () => {
    const callId = await ring();
    expect((await graph('POST', `/${callId}/reject`, { reason: 'busy' })).status).toBe(202);
    await f.bot.waitFor('terminated', () => f.bot.forCall(callId).length === 2);
    expect(f.bot.forCall(callId)[1]).toMatchObject({ changeType: 'deleted', resourceData: { state: 'terminated' } });
    expect((await graph('POST', `/${callId}/reject`, {})).status).toBe(404);
  });

  it('recordResponse completes with a recording the bot can fetch with its access token', async () => {
    const callId = await answered();
    const res = await graph('POST', `/${callId}/recordResponse`, { prompts: [prompt('beep')], maxRecordDurationInSeconds: 10, maxSilenceTimeoutInSeconds: 1, stopTones: ['#'] });
    expect(res.json).toMatchObject({ '@odata.type': '#microsoft.graph.recordOperation', status: 'running' });
    await f.bot.waitFor('record done', () => operationNotices(callId).length === 1);
    const data = operationNotices(callId)[0]!.resourceData as { status: string; recordingLocation: string; recordingAccessToken: string };
    expect(data.status).toBe('completed');
    const path = new URL(data.recordingLocation).pathname;
    expect((await call(f.emulator, 'GET', path, { token: 'wrong' })).status).toBe(404);
    const wav = await call(f.emulator, 'GET', path, { token: data.recordingAccessToken });
    expect(wav.status).toBe(200);
    expect(wav.text.slice(0, 4)).toBe('RIFF');
  });

  it('sendDtmfTones runs, then completes with a deleted notification', async () => {
    const callId = await answered();
    const res = await graph('POST', `/${callId}/sendDtmfTones`, { tones: ['tone1', 'pound'], delayBetweenTonesMs: 5 });
    expect(res.json).toMatchObject({ '@odata.type': '#microsoft.graph.sendDtmfTonesOperation', status: 'running' });
    await f.bot.waitFor('dtmf done', () => operationNotices(callId).length === 1);
    expect(operationNotices(callId)[0]!.resourceData).toMatchObject({ status: 'completed', completionReason: 'completedSuccessfully' });
  });

  it('updateRecordingStatus answers completed and is visible in the snapshot', async () => {
    const callId = await answered();
    const res = await graph('POST', `/${callId}/updateRecordingStatus`, { status: 'recording', clientContext: 'rec' });
    expect(res.json).toMatchObject({ '@odata.type': '#microsoft.graph.updateRecordingStatusOperation', status: 'completed', clientContext: 'rec' });
    const bad = await graph('POST', `/${callId}/updateRecordingStatus`, { status: 'paused' });
    expect(bad.status).toBe(400);
    expect((await call(f.emulator, 'GET', `/emulator/calls/${callId}`)).json).toMatchObject({ recordingStatus: 'recording' });
  });

  it('signs with a new key after rotation while the JWKS keeps the previous one', async () => {
    const before = (await call(f.emulator, 'GET', '/botframework/v1/keys')).json as { keys: { kid: string }[] };
    const rotated = await call(f.emulator, 'POST', '/emulator/keys/rotate');
    const { kid, previousKid } = rotated.json as { kid: string; previousKid: string };
    expect(previousKid).toBe(before.keys[0]!.kid);
    const after = (await call(f.emulator, 'GET', '/botframework/v1/keys')).json as { keys: { kid: string }[] };
    expect(after.keys.map((k) => k.kid)).toEqual([kid, previousKid]);
    const callId = await ring();
    const jwt = f.bot.posts.at(-1)!.headers.authorization!.slice('Bearer '.length);
    expect(JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid).toBe(kid);
    expect(callId).toBeTruthy();
  });
});

describe('outgoing calls placed by the bot', () => {
  const f = useBotFixture('all');

  const create = (userId: string) =>
    call(f.emulator, 'POST', '/v1.0/communications/calls', {
      token: f.token,
      body: {
        '@odata.type': '#microsoft.graph.call',
        callbackUri: f.bot.url,
        targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id: userId, displayName: 'Bob' } } }],
        requestedModalities: ['audio'],
        mediaConfig: SERVICE_HOSTED,
      },
    });

  it('answers 201 + Location with an establishing call, then the callee answers', async () => {
    const res = await create('user-answers');
    expect(res.status).toBe(201);
    const created = res.json as { id: string; state: string; direction: string };
    expect(created).toMatchObject({ state: 'establishing', direction: 'outgoing' });
    expect(res.headers.get('location')).toBe(`${f.emulator.baseUrl}/v1.0/communications/calls/${created.id}`);
    await f.bot.waitFor('established', () => f.bot.forCall(created.id).some((n) => n.resourceData.state === 'established'));
    const participants = await call(f.emulator, 'GET', `/v1.0/communications/calls/${created.id}/participants`, { token: f.token });
    expect((participants.json as { value: unknown[] }).value).toHaveLength(2);
  });

  it('a callee with a decline rule ends the call instead of answering', async () => {
    expect((await call(f.emulator, 'PUT', '/emulator/callees/user-declines', { body: { behaviour: 'decline' } })).status).toBe(200);
    expect((await call(f.emulator, 'PUT', '/emulator/callees/x', { body: { behaviour: 'maybe' } })).status).toBe(400);
    const { id } = (await create('user-declines')).json as { id: string };
    await f.bot.waitFor('terminated', () => f.bot.forCall(id).some((n) => n.resourceData.state === 'terminated'));
    expect(f.bot.forCall(id).some((n) => n.resourceData.state === 'established')).toBe(false);
  });
});
