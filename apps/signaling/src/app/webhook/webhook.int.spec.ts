import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, type NatsConnection } from 'nats';
import { ensureNats, removeJetStreamNamespace, type NatsEndpoint } from '@switchboard/dev-infra';
import { documentedNotifications } from '@switchboard/graph-models';
import { natsNames, storedNotificationSchema } from '@switchboard/nats-contracts';
import { createServiceApp } from '@switchboard/service-kit';
import { makeKey, TestIssuer } from '../../testing/test-issuer';
import { SignalingModule } from '../app.module';

const appId = '11111111-2222-3333-4444-555555555555';
const callId = '9a1b2c3d-0000-4000-8000-00000000abcd';
const batch = {
  value: [
    {
      changeType: 'created',
      resourceUrl: `/communications/calls/${callId}`,
      resourceData: { '@odata.type': '#microsoft.graph.call', id: callId, state: 'incoming', direction: 'incoming' },
    },
  ],
};

describe('POST /api/calling (Nest app, real NATS, real JWTs)', () => {
  let server: NatsEndpoint;
  let nc: NatsConnection;
  let issuer: TestIssuer;
  let app: NestFastifyApplication;
  let origin: string;
  const names = natsNames(`w${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`);
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    server = await ensureNats();
    nc = await connect({ servers: server.url });
    issuer = await TestIssuer.start();
    Object.assign(process.env, {
      NATS_URL: server.url,
      NATS_NAMESPACE: names.namespace,
      HTTP_PORT: '0',
      LOG_LEVEL: 'silent',
      BOT_APP_ID: appId,
      BOT_TENANT_ID: 'tenant-1',
      BOT_CLIENT_SECRET: 'not-used-here',
      CALLBACK_OIDC_URL: issuer.openIdConfigurationUrl,
      PUBLIC_CALLBACK_URL: 'https://bot.example/api/calling',
      PROMPT_URI: 'https://bot.example/prompts/welcome.wav',
      WEBHOOK_BODY_LIMIT_BYTES: '65536',
      // Graph is not reachable in this test: the orchestrator's answer fails and is retried, which is not what is tested here.
      GRAPH_BASE_URL: 'https://127.0.0.1:9/v1.0',
      AUTHORITY_HOST: 'https://127.0.0.1:9',
    });
    app = await createServiceApp({ module: SignalingModule, service: 'signaling', bodyLimit: 65536 });
    await app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    await removeJetStreamNamespace(nc, names);
    await nc.close();
    await issuer.stop();
    await server.stop();
    process.env = savedEnv;
  });

  const storedCount = async () => (await (await nc.jetstreamManager()).streams.info(names.notificationsStream)).state.messages;

  /** Over real HTTP, as Graph posts: the webhook takes its requests from the server ahead of Fastify (webhook.route.ts). */
  const post = async (body: string | object, authorization?: string, contentType = 'application/json', path = '/api/calling') => {
    const res = await fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(authorization ? { authorization } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { statusCode: res.status, body: text, json: () => JSON.parse(text) as unknown };
  };

  it('stores a valid batch and answers 202', async () => {
    const before = await storedCount();
    const res = await post(batch, `Bearer ${await issuer.token(appId, { tid: 'tenant-4' })}`);
    expect(res.statusCode).toBe(202);
    expect(await storedCount()).toBe(before + 1);
    const stored = await (await nc.jetstreamManager()).streams.getMessage(names.notificationsStream, { last_by_subj: names.notificationSubject(callId) });
    expect(storedNotificationSchema.parse(stored.json())).toEqual({
      receivedAt: expect.any(String),
      tenantId: 'tenant-4',
      issuer: 'https://api.botframework.com',
      notification: batch.value[0],
    });
  });

  it('answers a participantJoiningNotification with its participantJoiningResponse in the body, and stores the answer with it', async () => {
    const joining = `5a1f0b2c-0000-4000-8000-${Date.now().toString(16).padStart(12, '0').slice(-12)}`;
    const body = {
      value: [
        {
          changeType: 'created',
          resourceUrl: `/communications/calls/${joining}`,
          resourceData: { '@odata.type': '#microsoft.graph.participantJoiningNotification', call: { '@odata.type': '#microsoft.graph.call', incomingContext: { observedParticipantId: 'p-2' } } },
        },
      ],
    };
    const res = await post(body, `Bearer ${await issuer.token(appId)}`);
    // No call of that id is known here: the user is refused, and Graph reads that from the body.
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ '@odata.type': '#microsoft.graph.rejectJoinResponse', reason: 'none' });
    const stored = await (await nc.jetstreamManager()).streams.getMessage(names.notificationsStream, { last_by_subj: names.notificationSubject(joining) });
    expect(storedNotificationSchema.parse(stored.json()).answer).toEqual({ '@odata.type': '#microsoft.graph.rejectJoinResponse', reason: 'none' });
  });

  it('stores the same batch once when it is delivered again', async () => {
    const before = await storedCount();
    const res = await post(batch, `Bearer ${await issuer.token(appId)}`);
    expect(res.statusCode).toBe(202);
    expect(await storedCount()).toBe(before);
  });

  it.each(documentedNotifications.map((d) => [d.name, d.source, d.body] as const))('accepts and stores %s (%s)', async (_name, _source, body) => {
    const before = await storedCount();
    const res = await post(body, `Bearer ${await issuer.token(appId)}`);
    expect(res.statusCode).toBe(202);
    expect(await storedCount()).toBe(before + 1);
  });

  const refusals: [string, () => Promise<[string | object, string | undefined, string?]>, number, RegExp][] = [
    ['no token', async () => [batch, undefined], 401, /missing bearer token/],
    ['an expired token', async () => [batch, `Bearer ${await issuer.token(appId, { expiresIn: Math.floor(Date.now() / 1000) - 300 })}`], 401, /expired/],
    ['a token from another key', async () => [batch, `Bearer ${await issuer.token(appId, { key: await makeKey('key-1') })}`], 401, /signature/],
    ['a wrong audience', async () => [batch, `Bearer ${await issuer.token('another-bot')}`], 403, /aud/],
    ['a wrong issuer', async () => [batch, `Bearer ${await issuer.token(appId, { issuer: 'https://login.example' })}`], 403, /iss/],
    ['no tid claim', async () => [batch, `Bearer ${await issuer.token(appId, { tid: null })}`], 403, /tid/],
    ['alg none', async () => [batch, `Bearer ${issuer.unsignedToken(appId)}`], 401, /./],
    ['malformed JSON', async () => ['{"value": [', `Bearer ${await issuer.token(appId)}`], 400, /JSON/i],
    ['a body that is not a batch', async () => [{ hello: 'world' }, `Bearer ${await issuer.token(appId)}`], 400, /not a commsNotifications batch: value/],
    ['an empty batch', async () => [{ value: [] }, `Bearer ${await issuer.token(appId)}`], 400, /at least one/],
    [
      'a resource that is not a call',
      async () => [{ value: [{ changeType: 'updated', resourceUrl: '/users/abc' }] }, `Bearer ${await issuer.token(appId)}`],
      400,
      /not a \/communications\/calls resource/,
    ],
    ['a body that is not JSON by its content type', async () => [batch, `Bearer ${await issuer.token(appId)}`, 'text/plain'], 415, /application\/json/],
    ['JSON that would set __proto__', async () => ['{"value":[],"__proto__":{"polluted":true}}', `Bearer ${await issuer.token(appId)}`], 400, /JSON/],
    ['an oversized body', async () => [{ value: [{ ...batch.value[0], pad: 'x'.repeat(70_000) }] }, `Bearer ${await issuer.token(appId)}`], 413, /./],
  ];

  it.each(refusals)('refuses %s and stores nothing', async (_name, make, status, message) => {
    const before = await storedCount();
    const [body, authorization, contentType] = await make();
    const res = await post(body, authorization, contentType);
    expect(res.statusCode).toBe(status);
    expect(res.body).toMatch(message);
    expect(await storedCount()).toBe(before);
  });

  it('answers a legacy Bot Framework activity with 204 and stores nothing', async () => {
    const before = await storedCount();
    const activity = { type: 'message', channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/amer/', id: 'a1' };
    const res = await post(activity, `Bearer ${await issuer.token(appId)}`);
    expect(res.statusCode).toBe(204);
    expect(await storedCount()).toBe(before);
  });

  it('accepts an update for an unknown call (it is ignored later, with a log line)', async () => {
    const before = await storedCount();
    const unknown = { value: [{ changeType: 'updated', resourceUrl: '/communications/calls/0000aaaa-0000-4000-8000-000000000001', resourceData: { state: 'established' } }] };
    expect((await post(unknown, `Bearer ${await issuer.token(appId)}`)).statusCode).toBe(202);
    expect(await storedCount()).toBe(before + 1);
  });

  it('takes the path with a query string too, and the same route through Fastify (app.inject)', async () => {
    const unknown = (n: number) => ({ value: [{ changeType: 'updated', resourceUrl: `/communications/calls/0000bbbb-0000-4000-8000-00000000000${n}` }] });
    const before = await storedCount();
    expect((await post(unknown(1), `Bearer ${await issuer.token(appId)}`, 'application/json', '/api/calling?tenant=x')).statusCode).toBe(202);
    const injected = await app.inject({
      method: 'POST',
      url: '/api/calling',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await issuer.token(appId)}` },
      payload: JSON.stringify(unknown(2)),
    });
    expect(injected.statusCode).toBe(202);
    expect((await app.inject({ method: 'POST', url: '/api/calling', headers: { 'content-type': 'application/json' }, payload: '{}' })).statusCode).toBe(401);
    expect(await storedCount()).toBe(before + 2);
  });

  it('leaves every other request to Fastify', async () => {
    expect((await fetch(`${origin}/health/live`)).status).toBe(200);
    expect((await fetch(`${origin}/api/calling`)).status).toBe(404);
    expect((await fetch(`${origin}/api/calling/extra`, { method: 'POST' })).status).toBe(404);
  });

  it('serves liveness and readiness', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    // Graph is unreachable here, so readiness names the failing token check.
    expect(ready.statusCode).toBe(503);
    expect(ready.body).toMatch(/graph-token/);
  });
});
