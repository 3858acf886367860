import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, type JetStreamClient, type NatsConnection } from 'nats';
import { z } from 'zod';
import { ensureNats, removeJetStreamNamespace, type NatsEndpoint } from '@switchboard/dev-infra';
import { natsNames, type CallEvent } from '@switchboard/nats-contracts';
import {
  captureLogs,
  ConfigError,
  ConfigModule,
  createLogger,
  createServiceApp,
  envInt,
  LoggingModule,
  logEnv,
  MetricsModule,
  NatsModule,
  natsEnv,
  scopedEnv,
} from '@switchboard/service-kit';
import { JetStreamModule } from '../jetstream/jetstream.module';
import { customerWebhooksEnv } from './customer-webhooks.env';
import { CustomerWebhooksModule } from './customer-webhooks.module';
import { DeliveryLog, type DeliveryRecord } from './delivery-log';
import { verifySwitchboardSignature } from './readme-verifier.testing';
import { WebhookReceiver, type Reply } from './webhook-receiver.testing';

jest.setTimeout(30_000);

const allSecret = 'all-events-secret-0123456789';
const tonesSecret = 'tones-secret-from-env-9876543210';
const logs = captureLogs();

/** Signaling's JetStream topology plus this module, as the signaling app wires them. */
@Module({
  imports: [
    ConfigModule.forRoot(
      natsEnv
        .extend(logEnv.shape)
        .extend(customerWebhooksEnv.shape)
        .extend({
          NATS_NAMESPACE: z.string(),
          ACK_WAIT_MS: envInt({ min: 1000, max: 60_000, fallback: 30_000 }),
          MAX_DELIVER: envInt({ min: 1, max: 100, fallback: 10 }),
        }),
    ),
    LoggingModule.forRoot({ service: 'signaling', logger: createLogger({ service: 'signaling', destination: logs.stream }) }),
    MetricsModule.forRoot({ service: 'signaling' }),
    NatsModule.forRoot({ name: 'signaling' }),
    JetStreamModule,
    CustomerWebhooksModule,
  ],
})
class CustomerWebhooksTestModule {}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('customer webhooks (real NATS, real HTTP receiver)', () => {
  const names = natsNames(`cw${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`);
  const dir = mkdtempSync(join(tmpdir(), 'customer-webhooks-'));
  const receiver = new WebhookReceiver();
  /** Replies per event id, used in order; 200 once a list is used up. */
  const replies = new Map<string, Reply[]>();
  let server: NatsEndpoint;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let app: NestFastifyApplication | undefined;
  let restoreEnv: () => void;
  let seq = 0;

  const subscriptionsFile = (entries: object[]) => {
    const path = join(dir, `subscriptions-${seq++}.json`);
    writeFileSync(path, JSON.stringify(entries));
    return path;
  };

  const boot = async (file: string) => {
    const restore = scopedEnv({ CUSTOMER_WEBHOOKS_FILE: file });
    try {
      const created = await createServiceApp({ module: CustomerWebhooksTestModule, service: 'signaling' });
      await created.init();
      await created.getHttpAdapter().getInstance().ready();
      return created;
    } finally {
      restore();
    }
  };

  let downUrl: string;
  const allSubscriptions = () => [
    { id: 'all', url: receiver.url('/all'), secret: allSecret, events: ['*'] },
    { id: 'tones', url: receiver.url('/tones'), secretEnv: 'TONES_WEBHOOK_SECRET', events: ['tone'], tenantIds: ['tenant-a'] },
    { id: 'down', url: downUrl, secret: allSecret, events: ['terminated'] },
  ];

  beforeAll(async () => {
    server = await ensureNats();
    nc = await connect({ servers: server.url });
    js = nc.jetstream();
    await receiver.start();
    receiver.script = (_path, body) => replies.get(body.id)?.shift() ?? { status: 200 };
    downUrl = `http://127.0.0.1:${await freePort()}/nothing-listens`;
    restoreEnv = scopedEnv({
      NATS_URL: server.url,
      NATS_NAMESPACE: names.namespace,
      LOG_LEVEL: 'info',
      TONES_WEBHOOK_SECRET: tonesSecret,
      CUSTOMER_WEBHOOKS_TIMEOUT_MS: '500',
      CUSTOMER_WEBHOOKS_MAX_DELIVER: '4',
      CUSTOMER_WEBHOOKS_BACKOFF_BASE_MS: '100',
      CUSTOMER_WEBHOOKS_BACKOFF_MAX_MS: '2000',
    });
    app = await boot(subscriptionsFile(allSubscriptions()));
  });

  afterAll(async () => {
    await app?.close();
    await removeJetStreamNamespace(nc, names);
    await nc.close();
    await receiver.stop();
    await server.stop();
    restoreEnv();
    rmSync(dir, { recursive: true, force: true });
  });

  let n = 0;
  const uid = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${n++}`;
  const publish = async (event: CallEvent) => {
    await js.publish(names.eventSubject(event.type), JSON.stringify(event), { msgID: event.eventId });
    return event;
  };
  const base = (callId: string, tenantId?: string) => ({
    eventId: uid('ev'),
    callId,
    ...(tenantId ? { tenantId } : {}),
    occurredAt: new Date().toISOString(),
  });
  const established = (callId: string, script?: Reply[]): CallEvent => {
    const event: CallEvent = { ...base(callId), type: 'established' };
    if (script) replies.set(event.eventId, [...script]);
    return event;
  };
  const tone = (callId: string, tenantId?: string): CallEvent => ({ ...base(callId, tenantId), type: 'tone', tone: 'tone5', digit: '5', sequenceId: n });
  const terminated = (callId: string, tenantId?: string): CallEvent => ({ ...base(callId, tenantId), type: 'terminated' });
  const delivered = (path: string, eventId: string) => receiver.for(path, eventId).some((r) => r.status === 200);
  const waitDelivered = (path: string, eventId: string, timeoutMs?: number) =>
    receiver.waitFor(`${eventId} at ${path}`, () => delivered(path, eventId), timeoutMs);
  const get = async (url: string) => {
    const res = await app?.inject({ method: 'GET', url });
    if (!res) throw new Error('app not booted');
    return res;
  };
  const logOf = async (query: string): Promise<DeliveryRecord[]> => (await get(`/v1/webhooks/deliveries?${query}`)).json().deliveries;
  const waitForLog = async (query: string, done: (records: DeliveryRecord[]) => boolean, timeoutMs = 10_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const records = await logOf(query);
      if (done(records)) return records;
      if (Date.now() > until) throw new Error(`delivery log for ${query} never settled: ${JSON.stringify(records)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('POSTs each event signed as documented, with its type and a delivery id', async () => {
    const event = await publish(established(uid('call')));
    await waitDelivered('/all', event.eventId);
    const [request] = receiver.for('/all', event.eventId);
    expect(request.body).toEqual({ id: event.eventId, type: 'established', occurredAt: event.occurredAt, data: event });
    expect(request.headers['switchboard-event']).toBe('established');
    expect(request.headers['switchboard-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(verifySwitchboardSignature(String(request.headers['switchboard-signature']), request.rawBody, allSecret)).toBe(true);
    expect(verifySwitchboardSignature(String(request.headers['switchboard-signature']), request.rawBody, tonesSecret)).toBe(false);
  });

  it('retries a 500 and delivers the event once when the receiver recovers', async () => {
    const callId = uid('call');
    const event = await publish(established(callId, [{ status: 500 }]));
    await waitDelivered('/all', event.eventId);
    const attempts = receiver.for('/all', event.eventId);
    expect(attempts.map((r) => r.status)).toEqual([500, 200]);
    expect(attempts[0].headers['switchboard-delivery']).not.toBe(attempts[1].headers['switchboard-delivery']);
    const records = await waitForLog(`callId=${callId}`, (r) => r[0]?.status === 'delivered');
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record).toMatchObject({ subscription: 'all', eventId: event.eventId, status: 'delivered', attempts: 2, lastStatusCode: 200 });
    expect(record.lastDeliveryId).toBe(attempts[1].headers['switchboard-delivery']);
    // A later event of the subscription arriving proves this one was settled: it is not sent again.
    const next = await publish(established(uid('call')));
    await waitDelivered('/all', next.eventId);
    expect(receiver.for('/all', event.eventId).filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('does not send again an event the log already shows as settled (an ack lost to a restart)', async () => {
    const callId = uid('call');
    const settled = established(callId);
    const now = new Date().toISOString();
    const bucket = names.webhookDeliveriesBucket;
    const log = new DeliveryLog(await js.views.kv(bucket), bucket, js, await nc.jetstreamManager());
    await log.put({
      subscription: 'all',
      eventId: settled.eventId,
      eventType: settled.type,
      callId,
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 200,
      lastDeliveryId: 'earlier-attempt',
      firstAttemptAt: now,
      lastAttemptAt: now,
      deliveredAt: now,
    });
    await publish(settled);
    const next = await publish(established(callId));
    await waitDelivered('/all', next.eventId);
    expect(receiver.for('/all', settled.eventId)).toEqual([]);
  });

  it('records a 400 as failed without retrying it, and moves on', async () => {
    const callId = uid('call');
    const refused = await publish(established(callId, [{ status: 400 }]));
    const next = await publish(established(callId));
    await waitDelivered('/all', next.eventId);
    expect(receiver.for('/all', refused.eventId).map((r) => r.status)).toEqual([400]);
    const records = await waitForLog(`callId=${callId}&status=failed`, (r) => r.length === 1);
    expect(records[0]).toMatchObject({ eventId: refused.eventId, status: 'failed', attempts: 1, lastStatusCode: 400, lastError: 'HTTP 400 (not retried)' });
  });

  it.each([503, 429])('waits as long as Retry-After asks after a %i', async (status) => {
    const event = await publish(established(uid('call'), [{ status, headers: { 'retry-after': '1' } }]));
    await waitDelivered('/all', event.eventId);
    const [first, second] = receiver.for('/all', event.eventId);
    // Without Retry-After the first backoff step is at most 100 ms here.
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
  });

  it('keeps the order of a call while its first event is being retried', async () => {
    const callId = uid('call');
    const events = [established(callId, [{ status: 500 }, { status: 502 }]), terminated(callId), established(callId)];
    for (const e of events) await publish(e);
    await waitDelivered('/all', events[2].eventId);
    const ofCall = receiver.for('/all').filter((r) => r.body.data['callId'] === callId);
    expect(ofCall.map((r) => [r.body.id, r.status])).toEqual([
      [events[0].eventId, 500],
      [events[0].eventId, 502],
      [events[0].eventId, 200],
      [events[1].eventId, 200],
      [events[2].eventId, 200],
    ]);
  });

  it('gives up after the configured attempts and records the event as failed', async () => {
    const callId = uid('call');
    const hopeless = await publish(established(callId, Array.from({ length: 10 }, () => ({ status: 500 }))));
    const next = await publish(established(callId));
    await waitDelivered('/all', next.eventId);
    expect(receiver.for('/all', hopeless.eventId).map((r) => r.status)).toEqual([500, 500, 500, 500]);
    const [record] = await waitForLog(`callId=${callId}&status=failed`, (r) => r.length === 1);
    expect(record).toMatchObject({ attempts: 4, lastStatusCode: 500, lastError: 'HTTP 500; gave up after 4 attempts' });
  });

  it('applies event type and tenant filters per subscription', async () => {
    const callId = uid('call');
    const wanted = [tone(callId, 'tenant-a'), tone(callId, 'tenant-a')];
    await publish(tone(callId, 'tenant-b'));
    await publish(wanted[0]);
    await publish(terminated(callId, 'tenant-a'));
    await publish(tone(callId));
    await publish(wanted[1]);
    await waitDelivered('/tones', wanted[1].eventId);
    const atTones = receiver.for('/tones').filter((r) => r.body.data['callId'] === callId);
    expect(atTones.map((r) => r.body.id)).toEqual(wanted.map((e) => e.eventId));
    expect(verifySwitchboardSignature(String(atTones[0].headers['switchboard-signature']), atTones[0].rawBody, tonesSecret)).toBe(true);
    // The '*' subscription got all five.
    await receiver.waitFor('all five at /all', () => receiver.for('/all').filter((r) => r.body.data['callId'] === callId).length === 5);
  });

  it('retries an unreachable endpoint, then records the network error', async () => {
    const callId = uid('call');
    const event = await publish(terminated(callId));
    const [record] = await waitForLog(`subscription=down&callId=${callId}`, (r) => r[0]?.status === 'failed');
    expect(record).toMatchObject({ eventId: event.eventId, attempts: 4, lastError: 'network error ECONNREFUSED; gave up after 4 attempts' });
    expect(record.lastStatusCode).toBeUndefined();
  });

  it('lists subscriptions and deliveries without secrets, and refuses bad queries', async () => {
    const subscriptions = await get('/v1/webhooks/subscriptions');
    expect(subscriptions.statusCode).toBe(200);
    expect(subscriptions.json().subscriptions).toEqual([
      { id: 'all', url: receiver.url('/all'), events: '*' },
      { id: 'tones', url: receiver.url('/tones'), events: ['tone'], tenantIds: ['tenant-a'] },
      { id: 'down', url: downUrl, events: ['terminated'] },
    ]);
    const all = await get('/v1/webhooks/deliveries?limit=1000');
    expect(all.json().deliveries.length).toBeGreaterThan(5);
    for (const body of [subscriptions.body, all.body]) {
      expect(body).not.toContain(allSecret);
      expect(body).not.toContain(tonesSecret);
    }
    expect((await logOf('subscription=tones&limit=2')).map((r) => r.subscription)).toEqual(['tones', 'tones']);

    const refusals: [string, number, RegExp][] = [
      ['status=pending', 400, /status: must be one of retrying, delivered, failed/],
      ['limit=0', 400, /limit: must be at least 1/],
      ['limit=ten', 400, /limit: must be an integer/],
      ['tenant=x', 400, /tenant: unknown parameter/],
      ['subscription=nope', 404, /no subscription "nope"/],
    ];
    for (const [query, status, message] of refusals) {
      const res = await get(`/v1/webhooks/deliveries?${query}`);
      expect([query, res.statusCode]).toEqual([query, status]);
      expect(res.json().message).toMatch(message);
    }
  });

  it('counts attempts by subscription and outcome and times them', async () => {
    const metrics = (await get('/metrics')).body;
    for (const outcome of ['delivered', 'retrying', 'rejected', 'failed']) {
      expect(metrics).toMatch(new RegExp(`switchboard_customer_webhook_deliveries_total\\{[^}]*subscription="all"[^}]*outcome="${outcome}"[^}]*\\} [1-9]`));
    }
    expect(metrics).toMatch(/switchboard_customer_webhook_attempt_seconds_count\{[^}]*subscription="tones"[^}]*\} [1-9]/);
  });

  it('logs deliveries with their call id and never a secret', () => {
    const lines = logs.lines();
    expect(lines.some((l) => l['msg'] === 'customer webhook delivered' && typeof l['callId'] === 'string')).toBe(true);
    expect(lines.some((l) => l['msg'] === 'customer webhook will be retried' && l['subscription'] === 'down')).toBe(true);
    expect(logs.text()).not.toContain(allSecret);
    expect(logs.text()).not.toContain(tonesSecret);
  });

  it('refuses to boot with a bad subscriptions file, naming the entry and field, and changes nothing', async () => {
    const jsm = await nc.jetstreamManager();
    const consumersBefore = (await jsm.streams.info(names.eventsStream)).state.consumer_count;
    const bad = subscriptionsFile([...allSubscriptions(), { id: 'crm', url: 'http://crm.example/hooks', secret: allSecret, events: ['tone'] }]);
    const attempt = boot(bad);
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/CUSTOMER_WEBHOOKS_FILE: .*subscriptions\[3\] \("crm"\)\.url: must be https/);
    expect((await jsm.streams.info(names.eventsStream)).state.consumer_count).toBe(consumersBefore);
  });

  it('resumes from its cursor after a restart, and drops the consumer of a removed subscription', async () => {
    await app?.close();
    app = undefined;
    const whileDown = await publish(established(uid('call')));
    app = await boot(subscriptionsFile(allSubscriptions().filter((s) => s.id !== 'down')));
    await waitDelivered('/all', whileDown.eventId);
    const jsm = await nc.jetstreamManager();
    const consumers: string[] = [];
    for await (const info of jsm.consumers.list(names.eventsStream)) consumers.push(info.name);
    expect(consumers).toContain(names.webhookConsumer('all'));
    expect(consumers).not.toContain(names.webhookConsumer('down'));
  });
});
