import { randomUUID } from 'node:crypto';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { connect, type NatsConnection } from 'nats';
import { ensureNats, removeJetStreamNamespace, type NatsEndpoint } from '@switchboard/dev-infra';
import type { CallState } from '@switchboard/graph-models';
import { callCommandReplySchema, natsNames, type CallCommandAction } from '@switchboard/nats-contracts';
import { captureLogs, createLogger, LOGGER, scopedEnv } from '@switchboard/service-kit';
import { makeKey } from '../../testing/test-issuer';
import { SignalingModule } from '../app.module';
import { newOutgoingRecord, type CallHandler } from '../orchestration/call-record';
import { CallStateStore } from '../orchestration/call-state-store';
import { GRAPH_CLIENT } from '../tokens';
import { ApiTokenIssuer } from './api-issuer.testing';
import { apiRoutes } from './api-routes';
import { RecordingGraph } from './recording-graph.testing';

const app1 = { kind: 'app', app: 'client-app-1' } as const;
const prompt = 'https://bot.example/prompts/menu.wav';

describe('call-control API (Nest app, real NATS, real JWTs, Graph faked)', () => {
  let server: NatsEndpoint;
  let nc: NatsConnection;
  let issuer: ApiTokenIssuer;
  let app: NestFastifyApplication;
  let store: CallStateStore;
  let restoreEnv: () => void;
  const graph = new RecordingGraph();
  const logs = captureLogs();
  const names = natsNames(`cc${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`);

  beforeAll(async () => {
    server = await ensureNats();
    nc = await connect({ servers: server.url });
    issuer = await ApiTokenIssuer.start();
    restoreEnv = scopedEnv({
      NATS_URL: server.url,
      NATS_NAMESPACE: names.namespace,
      LOG_LEVEL: 'info',
      BOT_APP_ID: '11111111-2222-3333-4444-555555555555',
      BOT_TENANT_ID: 'tenant-1',
      BOT_CLIENT_SECRET: 'not-used-here',
      PUBLIC_CALLBACK_URL: 'https://bot.example/api/calling',
      PROMPT_URI: 'https://bot.example/prompts/welcome.wav',
      API_AUTH_OIDC_URL: issuer.openIdConfigurationUrl,
      API_AUTH_AUDIENCE: undefined,
      ROUTING_FILE: undefined,
      CUSTOMER_WEBHOOKS_FILE: undefined,
    });
    const moduleRef = await Test.createTestingModule({ imports: [SignalingModule] })
      .overrideProvider(GRAPH_CLIENT)
      .useValue({ calls: graph.calls, close: async () => undefined })
      .overrideProvider(LOGGER)
      .useValue(createLogger({ service: 'signaling', destination: logs.stream }))
      .compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    store = app.get(CallStateStore);
  });

  afterAll(async () => {
    await app?.close();
    await removeJetStreamNamespace(nc, names);
    await nc.close();
    await issuer.stop();
    await server.stop();
    restoreEnv();
  });

  async function seed(state: CallState, handler: CallHandler = app1): Promise<string> {
    const callId = randomUUID();
    const record = newOutgoingRecord({ callId, tenantId: 'tenant-1', handler, placedBy: { subject: 'seed', requestId: 'seed' }, now: new Date() });
    await store.write({ ...record, state, direction: 'incoming', history: [{ at: record.createdAt, type: 'incoming', eventId: `${callId}:1` }] }, undefined);
    return callId;
  }

  const send = async (method: 'GET' | 'POST' | 'DELETE', url: string, body?: object, headers: Record<string, string> = {}) => {
    const authorization = headers['authorization'] ?? `Bearer ${await issuer.token()}`;
    const res = await app.inject({
      method,
      url,
      headers: { ...headers, ...(authorization ? { authorization } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
    return { status: res.statusCode, body: res.json() as Record<string, unknown>, headers: res.headers };
  };

  /** Runs `act` and checks it neither reached Graph nor changed the stored call. */
  async function changesNothing<T>(callId: string | undefined, act: () => Promise<T>): Promise<T> {
    const before = graph.count();
    const revision = callId ? (await store.get(callId))?.revision : undefined;
    const result = await act();
    expect(graph.count()).toBe(before);
    if (callId) expect((await store.get(callId))?.revision).toBe(revision);
    return result;
  }

  describe('authentication and roles', () => {
    const refusals: [string, () => Promise<string>, RegExp][] = [
      ['no token', async () => '', /missing bearer token/],
      ['a token that is not a JWT', async () => 'Bearer not-a-jwt', /token is invalid/],
      ['a token signed by another key', async () => `Bearer ${await issuer.token({ key: await makeKey('api-key-1') })}`, /signature/],
      ['an expired token', async () => `Bearer ${await issuer.token({ expiresIn: Math.floor(Date.now() / 1000) - 300 })}`, /expired/],
      ['a wrong audience', async () => `Bearer ${await issuer.token({ audience: 'api://another' })}`, /aud/],
      ['a wrong issuer', async () => `Bearer ${await issuer.token({ issuer: 'https://login.example/v2.0' })}`, /iss/],
    ];

    it.each(refusals)('answers 401 to %s, with WWW-Authenticate, and changes nothing', async (_name, authorization, reason) => {
      const callId = await seed('established');
      const res = await changesNothing(callId, async () => send('POST', `/v1/calls/${callId}/play-prompt`, { prompts: [prompt] }, { authorization: await authorization() }));
      expect(res.status).toBe(401);
      expect(res.body['message']).toMatch(reason);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="switchboard"/);
    });

    it('answers 403 naming the missing role', async () => {
      const callId = await seed('established');
      const token = await issuer.token({ roles: ['Calls.Read'] });
      const res = await changesNothing(callId, () => send('DELETE', `/v1/calls/${callId}`, undefined, { authorization: `Bearer ${token}` }));
      expect(res.status).toBe(403);
      expect(res.body['message']).toBe('hang-up needs the Calls.Control role; the token has Calls.Read');
      const placing = await send('POST', '/v1/calls', { target: { user: { id: 'u-1' } } }, { authorization: `Bearer ${token}` });
      expect(placing.status).toBe(403);
      expect(placing.body['message']).toMatch(/Calls\.Place/);
    });

    it('lets Calls.Read read a call', async () => {
      const callId = await seed('established');
      const res = await send('GET', `/v1/calls/${callId}`, undefined, { authorization: `Bearer ${await issuer.token({ roles: ['Calls.Read'] })}` });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ callId, state: 'established', direction: 'incoming', handler: app1 });
      expect(res.body).not.toHaveProperty('outbox');
      expect(res.body).not.toHaveProperty('doneEffects');
    });
  });

  describe('refusals on existing calls', () => {
    it('answers 404 CallNotFound for an unknown call', async () => {
      const unknown = randomUUID();
      const res = await changesNothing(undefined, () => send('POST', `/v1/calls/${unknown}/mute`, {}));
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'CallNotFound', message: `call ${unknown} is not known here` });
      expect(await store.get(unknown)).toBeUndefined();
    });

    it('answers 409 WrongState with the current state', async () => {
      const incoming = await seed('incoming');
      const res = await changesNothing(incoming, () => send('POST', `/v1/calls/${incoming}/transfer`, { target: { user: { id: 'agent-1' } } }));
      expect(res.status).toBe(409);
      expect(res.body['code']).toBe('WrongState');
      expect(res.body['message']).toMatch(/is incoming, and transfer needs state established/);
      const ended = await seed('terminated');
      const hangUp = await changesNothing(ended, () => send('DELETE', `/v1/calls/${ended}`));
      expect(hangUp.status).toBe(409);
      expect(hangUp.body['message']).toMatch(/is terminated/);
    });

    it('does not answer a call a flow handles', async () => {
      const callId = await seed('incoming', { kind: 'flow', flowId: 'welcome' });
      const res = await changesNothing(callId, () => send('POST', `/v1/calls/${callId}/answer`, {}));
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'HandledByFlow' });
    });

    const invalid: [string, string, object, RegExp][] = [
      ['play-prompt', 'no prompts', { prompts: [] }, /prompts: .*at least 1|prompts: Too small/i],
      ['play-prompt', 'a prompt that is not a URL', { prompts: ['menu.wav'] }, /prompts\.0: must be the http\(s\) URL/],
      ['send-dtmf', 'an unknown tone', { tones: ['tone1', 'tone12'] }, /tones\.1/],
      ['redirect', 'a redirect timeout out of range', { targets: [{ user: { id: 'u' } }], timeout: 5 }, /timeout/],
      ['transfer', 'a target with two identities', { target: { user: { id: 'u' }, phone: '+14255550100' } }, /target: give exactly one of user, phone or application/],
      ['mute', 'an unknown field', { clientContext: 'c', loud: true }, /loud/],
    ];

    it.each(invalid)('answers 400 to %s with %s, naming the field', async (action, _name, body, field) => {
      const callId = await seed(action === 'redirect' ? 'incoming' : 'established');
      const res = await changesNothing(callId, () => send('POST', `/v1/calls/${callId}/${action}`, body));
      expect(res.status).toBe(400);
      expect(res.body['code']).toBe('InvalidRequest');
      expect(res.body['message']).toMatch(field);
    });

    it('answers 400 to a call id that cannot be one', async () => {
      const res = await changesNothing(undefined, () => send('GET', '/v1/calls/not_a.call'));
      expect(res.status).toBe(400);
      expect(res.body['message']).toMatch(/call id in the path/);
    });
  });

  describe('actions reach Graph', () => {
    it('plays prompts on an established call and shows the operation without its tokens', async () => {
      const callId = await seed('established');
      const before = graph.count('playPrompt');
      const res = await send('POST', `/v1/calls/${callId}/play-prompt`, { prompts: [prompt], clientContext: 'menu-1' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ callId, operation: { kind: 'playPromptOperation', status: 'running' } });
      expect(JSON.stringify(res.body)).not.toMatch(/secret-token/);
      expect(graph.count('playPrompt')).toBe(before + 1);
      const [id, request] = graph.requests[graph.requests.length - 1].args as [string, { prompts: { mediaInfo: { uri: string } }[]; clientContext: string }];
      expect(id).toBe(callId);
      expect(request.prompts[0].mediaInfo.uri).toBe(prompt);
      expect(request.clientContext).toBe('menu-1');
    });

    it('answers an incoming call an app handles, with service-hosted media and the callback URL', async () => {
      const callId = await seed('incoming');
      const res = await send('POST', `/v1/calls/${callId}/answer`);
      expect(res.status).toBe(202);
      const last = graph.requests[graph.requests.length - 1];
      expect(last.method).toBe('answer');
      expect(last.args[1]).toMatchObject({ callbackUri: 'https://bot.example/api/calling', mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } });
    });

    it('starts hold music for a participant and removes another', async () => {
      const callId = await seed('established');
      expect((await send('POST', `/v1/calls/${callId}/participants/p-2/hold-music`, { action: 'start' })).status).toBe(200);
      expect(graph.requests[graph.requests.length - 1]).toMatchObject({ method: 'startHoldMusic', args: [callId, 'p-2', {}] });
      expect((await send('DELETE', `/v1/calls/${callId}/participants/p-3`)).body).toMatchObject({ callId, participantId: 'p-3', status: 'accepted' });
      expect(graph.requests[graph.requests.length - 1]).toMatchObject({ method: 'removeParticipant', args: [callId, 'p-3'] });
    });

    it("passes Graph's refusal through and answers 502 when Graph fails", async () => {
      const callId = await seed('established');
      graph.failNext('transfer', 403, 'Forbidden', 'transfer target is in another tenant');
      const refused = await send('POST', `/v1/calls/${callId}/transfer`, { target: { user: { id: 'agent-9' } } });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'Forbidden', message: 'Graph refused the request: transfer target is in another tenant' });
      graph.failNext('mute', 503, 'ServiceUnavailable', 'try later');
      const failed = await send('POST', `/v1/calls/${callId}/mute`, {});
      expect(failed.status).toBe(502);
      expect(failed.body['code']).toBe('GraphUnavailable');
    });

    it('shows the history of a call', async () => {
      const callId = await seed('established');
      const res = await send('GET', `/v1/calls/${callId}/history`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ callId, history: [expect.objectContaining({ type: 'incoming', eventId: `${callId}:1` })] });
    });
  });

  describe('placing calls', () => {
    it('places a call through Graph and writes its record', async () => {
      const before = graph.count('createCall');
      const res = await send('POST', '/v1/calls', { target: { user: { id: 'user-7', displayName: 'Ada' } }, flow: 'welcome' });
      expect(res.status).toBe(201);
      expect(res.body['state']).toBe('establishing');
      expect(graph.count('createCall')).toBe(before + 1);
      const request = graph.requests[graph.requests.length - 1].args[0] as Record<string, unknown>;
      expect(request).toMatchObject({
        callbackUri: 'https://bot.example/api/calling',
        tenantId: 'tenant-1',
        mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
        targets: [{ identity: { user: { id: 'user-7', displayName: 'Ada' } } }],
      });
      const stored = await store.get(res.body['callId'] as string);
      expect(stored?.record).toMatchObject({
        direction: 'outgoing',
        state: 'establishing',
        handler: { kind: 'flow', flowId: 'welcome' },
        caller: { kind: 'user', id: 'user-7', displayName: 'Ada' },
        placedBy: { subject: 'client-app-1' },
      });
    });

    it('places a phone call through an application instance, handled by the calling app', async () => {
      const res = await send('POST', '/v1/calls', { target: { phone: '+14255550100' }, source: { applicationInstance: { id: 'ai-1' } } });
      expect(res.status).toBe(201);
      expect(graph.requests[graph.requests.length - 1].args[0]).toMatchObject({ source: { identity: { applicationInstance: { id: 'ai-1' } } }, targets: [{ identity: { phone: { id: '+14255550100' } } }] });
      expect((await store.get(res.body['callId'] as string))?.record.handler).toEqual({ kind: 'app', app: 'client-app-1' });
    });

    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const organizer = '4b1d0a9e-2c3f-4e5a-9b8c-7d6e5f4a3b2c';
    const joinUrl = `https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjA5@thread.v2/0?context=${encodeURIComponent(JSON.stringify({ Tid: tenant, Oid: organizer }))}`;

    it('joins a meeting by link as the app: chatInfo, organizer meetingInfo and the link tenant, and says the bot participant id', async () => {
      const res = await send('POST', '/v1/calls', { meeting: { joinUrl }, modalities: ['audio', 'video'] });
      expect(res.status).toBe(201);
      expect(res.body['myParticipantId']).toEqual(expect.any(String));
      const request = graph.requests[graph.requests.length - 1].args[0] as Record<string, unknown>;
      expect(request).toMatchObject({
        tenantId: tenant,
        requestedModalities: ['audio', 'video'],
        chatInfo: { threadId: '19:meeting_NjA5@thread.v2', messageId: '0' },
        meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { user: { id: organizer, tenantId: tenant } } },
      });
      expect(request['source']).toBeUndefined();
      expect(request['targets']).toBeUndefined();
      expect((await store.get(res.body['callId'] as string))?.record).toMatchObject({ tenantId: tenant, myParticipantId: res.body['myParticipantId'] });
    });

    it('joins by meeting id and passcode as a guest with its display name, and by token', async () => {
      const guest = await send('POST', '/v1/calls', { meeting: { meetingId: '123 456 789 012', passcode: 'aB3xY', as: 'guest', displayName: 'Notetaker' } });
      expect(guest.status).toBe(201);
      expect(graph.requests[graph.requests.length - 1].args[0]).toMatchObject({
        tenantId: 'tenant-1',
        meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '123456789012', passcode: 'aB3xY' },
        source: { identity: { guest: { id: expect.any(String), displayName: 'Notetaker' } } },
      });
      const byToken = await send('POST', '/v1/calls', { meeting: { token: 'opaque-meeting-token' } });
      expect(byToken.status).toBe(201);
      expect(graph.requests[graph.requests.length - 1].args[0]).toMatchObject({ meetingInfo: { '@odata.type': '#microsoft.graph.tokenMeetingInfo', token: 'opaque-meeting-token' } });
    });

    it('refuses an app-hosted join when no media pod can take it, placing nothing', async () => {
      const res = await changesNothing(undefined, () => send('POST', '/v1/calls', { meeting: { joinUrl }, media: 'appHosted' }));
      expect(res.status).toBe(503);
      expect(res.body['code']).toBe('NoMediaPodAvailable');
    });

    const refusals: [string, object, RegExp][] = [
      ['a meeting and a target', { meeting: { joinUrl }, target: { user: { id: 'u' } } }, /exactly one of them/],
      ['a join link without its tenant', { meeting: { joinUrl: joinUrl.replace(/context=.*/, `context=${encodeURIComponent(JSON.stringify({ Oid: organizer }))}`) } }, /meeting.joinUrl: the context has no Tid/],
      ['a Teams (free) link', { meeting: { joinUrl: 'https://teams.live.com/meet/9876543210?p=abc' } }, /meeting.joinUrl: teams.live.com hosts Teams \(free\)/],
      ['a guest without a name', { meeting: { meetingId: '123456789', as: 'guest' } }, /meeting.displayName: a guest needs a displayName/],
      ['a passcode without a meeting id', { meeting: { token: 't', passcode: 'x' } }, /meeting.passcode: a passcode goes with meetingId/],
      ['two ways to name the meeting', { meeting: { token: 't', meetingId: '123456789' } }, /not meetingId and token/],
      ['an unknown flow', { target: { user: { id: 'u' } }, flow: 'nope' }, /flow: no flow "nope" is loaded \(known: welcome\)/],
      ['a phone target without a source', { target: { phone: '+14255550100' } }, /source: calling a phone number needs source.applicationInstance/],
      ['a phone number that is not E.164', { target: { phone: '4255550100' }, source: { applicationInstance: { id: 'a' } } }, /target.phone: must be an E.164 number/],
      ['a group call of one', { targets: [{ user: { id: 'u' } }] }, /targets: a group call needs at least 2 targets/],
      ['no target', { flow: 'welcome' }, /target: give either target/],
    ];

    it.each(refusals)('refuses %s with 400 and places nothing', async (_name, body, message) => {
      const res = await changesNothing(undefined, () => send('POST', '/v1/calls', body));
      expect(res.status).toBe(400);
      expect(res.body['message']).toMatch(message);
    });
  });

  describe('Idempotency-Key', () => {
    it('places a call once for a repeated request and returns the first answer', async () => {
      const key = randomUUID();
      const body = { target: { user: { id: 'user-8' } }, subject: 'once' };
      const before = graph.count('createCall');
      const first = await send('POST', '/v1/calls', body, { 'idempotency-key': key });
      const again = await send('POST', '/v1/calls', { subject: 'once', target: { user: { id: 'user-8' } } }, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(graph.count('createCall')).toBe(before + 1);
    });

    it('refuses the key with 422 for a different request', async () => {
      const key = randomUUID();
      const callId = await seed('established');
      expect((await send('POST', `/v1/calls/${callId}/send-dtmf`, { tones: ['tone1'] }, { 'idempotency-key': key })).status).toBe(200);
      const res = await changesNothing(callId, () => send('POST', `/v1/calls/${callId}/send-dtmf`, { tones: ['tone2'] }, { 'idempotency-key': key }));
      expect(res.status).toBe(422);
      expect(res.body['code']).toBe('IdempotencyKeyReused');
    });

    it('keeps keys apart per caller, and lets a refused request be repeated', async () => {
      const key = randomUUID();
      const callId = await seed('established');
      const other = `Bearer ${await issuer.token({ subject: 'client-app-2' })}`;
      await send('POST', `/v1/calls/${callId}/unmute`, {}, { 'idempotency-key': key });
      const before = graph.count('unmute');
      expect((await send('POST', `/v1/calls/${callId}/unmute`, {}, { 'idempotency-key': key, authorization: other })).status).toBe(200);
      expect(graph.count('unmute')).toBe(before + 1);

      graph.failNext('cancelMediaProcessing', 404, 'itemNotFound', 'no media operation');
      const retryKey = randomUUID();
      expect((await send('POST', `/v1/calls/${callId}/cancel-media`, {}, { 'idempotency-key': retryKey })).status).toBe(404);
      expect((await send('POST', `/v1/calls/${callId}/cancel-media`, {}, { 'idempotency-key': retryKey })).status).toBe(200);
    });
  });

  describe('NATS commands', () => {
    const request = async (action: CallCommandAction, payload: unknown) => {
      const data = typeof payload === 'string' ? payload : JSON.stringify(payload);
      const msg = await nc.request(names.commandSubject(action), new TextEncoder().encode(data), { timeout: 5000 });
      return callCommandReplySchema.parse(JSON.parse(new TextDecoder().decode(msg.data)));
    };

    it('reads a call and plays a prompt, without a token', async () => {
      const callId = await seed('established');
      expect(await request('get', { callId })).toMatchObject({ ok: true, result: { callId, state: 'established' } });
      const before = graph.count('playPrompt');
      const key = randomUUID();
      const played = await request('play-prompt', { callId, prompts: [prompt], idempotencyKey: key });
      expect(played).toMatchObject({ ok: true, result: { callId, operation: { status: 'running' } } });
      expect(await request('play-prompt', { callId, prompts: [prompt], idempotencyKey: key })).toEqual(played);
      expect(graph.count('playPrompt')).toBe(before + 1);
    });

    it('answers an invalid payload with the field, and changes nothing', async () => {
      const callId = await seed('established');
      const reply = await changesNothing(callId, () => request('play-prompt', { callId, prompts: 'menu.wav' }));
      expect(reply).toMatchObject({ ok: false, status: 400, code: 'InvalidRequest' });
      expect(reply.ok === false && reply.message).toMatch(/prompts:/);
      expect(await changesNothing(undefined, () => request('get', '{not json'))).toMatchObject({ ok: false, status: 400, message: 'invalid payload: not JSON' });
      expect(await request('hang-up', { callId: randomUUID() })).toMatchObject({ ok: false, status: 404, code: 'CallNotFound' });
    });
  });

  describe('OpenAPI document and logs', () => {
    it('serves an OpenAPI 3.1 document listing every route', async () => {
      const res = await app.inject({ method: 'GET', url: '/v1/openapi.json' });
      expect(res.statusCode).toBe(200);
      const document = JSON.parse(res.body) as { openapi: string; paths: Record<string, Record<string, { operationId: string; requestBody?: unknown }>> };
      expect(document.openapi).toBe('3.1.0');
      const listed = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
      expect(listed.sort()).toEqual(apiRoutes.map((r) => `${r.method} ${r.path}`).sort());
      expect(document.paths['/v1/calls']['post'].requestBody).toBeDefined();
    });

    it.each(apiRoutes.map((r) => [r.method, r.path] as const))('serves %s %s (refused without a token, not missing)', async (method, path) => {
      const url = path.replace('{callId}', randomUUID()).replace('{participantId}', 'p-1');
      const res = await app.inject({ method: method.toUpperCase() as 'GET', url });
      expect(res.statusCode).toBe(401);
    });

    it('logs one line per request with callId, action, subject and outcome, never the token', async () => {
      const callId = await seed('established');
      const token = await issuer.token();
      const before = logs.lines().length;
      await send('POST', `/v1/calls/${callId}/mute`, {}, { authorization: `Bearer ${token}` });
      const lines = logs.lines().slice(before).filter((l) => l['msg'] === 'call-control request');
      expect(lines).toEqual([expect.objectContaining({ callId, action: 'mute', subject: 'client-app-1', outcome: 'done', status: 200, transport: 'http' })]);
      expect(logs.text()).not.toContain(token);
    });
  });
});
