import { randomUUID } from 'node:crypto';
import { connect, type ConsumerMessages, type NatsConnection, type Subscription } from 'nats';
import { natsForSpecFile, removeJetStreamNamespace } from '@switchboard/dev-infra';
import { meetingNames, natsNames, type CallCommandReply, type JoinView, type MeetingEvent } from '@switchboard/nats-contracts';
import { bootForTest, type BootedForTest } from '@switchboard/service-kit';
import { AppModule } from '../app.module';
import { SERVICE_NAME } from '../config';

const nats = natsForSpecFile();
const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const organizer = '4b1d0a9e-2c3f-4e5a-9b8c-7d6e5f4a3b2c';
const joinUrl = `https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjA5@thread.v2/0?context=${encodeURIComponent(JSON.stringify({ Tid: tenant, Oid: organizer }))}`;

/**
 * Signaling's side of the call-control commands, played by the test: it answers `place` once per idempotency key (as
 * signaling's idempotency store does) and `hang-up`, and the test publishes the call events signaling would.
 */
class FakeSignaling {
  readonly places: Record<string, unknown>[] = [];
  readonly hangUps: string[] = [];
  private readonly answers = new Map<string, { callId: string }>();
  private subs: Subscription[] = [];
  refuse?: { status: number; code: string; message: string };

  constructor(
    private readonly nc: NatsConnection,
    private readonly names: ReturnType<typeof natsNames>,
  ) {}

  start(): void {
    const reply = (subject: string, answer: (payload: Record<string, unknown>) => CallCommandReply) =>
      this.nc.subscribe(subject, { callback: (_e, msg) => msg.respond(JSON.stringify(answer(msg.json()))) });
    this.subs = [
      reply(this.names.commandSubject('place'), (payload) => {
        this.places.push(payload);
        if (this.refuse) return { ok: false, ...this.refuse };
        const key = String(payload['idempotencyKey']);
        const answer = this.answers.get(key) ?? { callId: randomUUID() };
        this.answers.set(key, answer);
        return { ok: true, result: { callId: answer.callId, state: 'establishing', myParticipantId: `bot-${answer.callId}` } };
      }),
      reply(this.names.commandSubject('hang-up'), (payload) => {
        this.hangUps.push(String(payload['callId']));
        return { ok: true, result: { callId: payload['callId'], status: 'accepted' } };
      }),
    ];
  }

  /** Distinct calls placed: what Graph would have seen. */
  get calls(): number {
    return this.answers.size;
  }

  stop(): void {
    for (const sub of this.subs) sub.unsubscribe();
  }
}

jest.setTimeout(30_000);

describe('meeting joins (Nest app, real NATS, signaling played by the test)', () => {
  const names = natsNames(`mj${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`);
  const meetings = meetingNames(names);
  let nc: NatsConnection;
  let signaling: FakeSignaling;
  let apps: BootedForTest[] = [];
  let eventNumber = 0;
  let events: ConsumerMessages;
  const meetingEvents: MeetingEvent[] = [];

  const boot = () =>
    bootForTest({
      module: AppModule,
      service: SERVICE_NAME,
      env: {
        NATS_URL: nats.url,
        NATS_NAMESPACE: names.namespace,
        LOG_LEVEL: 'silent',
        BOT_APP_ID: '11111111-2222-3333-4444-555555555555',
        BOT_TENANT_ID: tenant,
        BOT_CLIENT_SECRET: 'not-used-here',
        GRAPH_BASE_URL: 'https://127.0.0.1:9/v1.0',
        AUTHORITY_HOST: 'https://127.0.0.1:9',
        API_AUTH_OIDC_URL: undefined,
        JOIN_MAX_HOLD_MS: '1000',
      },
    });

  beforeAll(async () => {
    nc = await connect({ servers: nats.url });
    signaling = new FakeSignaling(nc, names);
    signaling.start();
    apps = [await boot()];
    // Read from the stream, as consumers do: a republished event (same message id) is stored once.
    const consumer = await nc.jetstream().consumers.get(meetings.eventsStream);
    events = await consumer.consume();
    void (async () => {
      for await (const msg of events) meetingEvents.push(msg.json());
    })();
  });

  afterAll(async () => {
    await events.close();
    for (const app of apps) await app.close();
    signaling.stop();
    await removeJetStreamNamespace(nc, { ...names, streams: [...names.streams, ...meetings.streams] });
    await nc.close();
  });

  const command = async (action: string, payload: Record<string, unknown>) => {
    const reply = await nc.request(meetings.commandSubject(action as 'join'), JSON.stringify(payload), { timeout: 10_000 });
    return reply.json<CallCommandReply>();
  };
  const result = async <T>(action: string, payload: Record<string, unknown>): Promise<T> => {
    const reply = await command(action, payload);
    if (!reply.ok) throw new Error(`${action} refused: ${reply.status} ${reply.code} ${reply.message}`);
    return reply.result as T;
  };
  const view = (id: string) => result<JoinView>('get', { id });
  async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  const callEvent = (callId: string, type: string, fields: Record<string, unknown> = {}) =>
    nc.jetstream().publish(names.eventSubject(type as 'terminated'), JSON.stringify({ eventId: `${callId}:${++eventNumber}:${type}`, callId, occurredAt: new Date().toISOString(), type, ...fields }));
  const entry = (id: string, inLobby = false, muted = false) => ({ id, muted, inLobby, sharingScreen: false, sourceIds: [1] });
  const joined = async (id: string) => (await until('placed', async () => (await view(id)).callId)) as string;

  it('joins by link through the lobby: places the call once, follows lobby, admission and roster, and tells each step', async () => {
    const { id, state } = await result<{ id: string; state: string }>('join', { joinUrl, as: 'guest', displayName: 'Notetaker' });
    expect(state).toBe('requested');
    const callId = await joined(id);
    const placed = signaling.places.find((p) => String(p['idempotencyKey']).includes(id));
    expect(placed).toMatchObject({ meeting: { joinUrl, as: 'guest', displayName: 'Notetaker' }, media: 'serviceHosted', app: 'meeting-join', idempotencyKey: `meeting-join:${id}:1` });
    const bot = `bot-${callId}`;
    await callEvent(callId, 'participants-updated', { participants: [entry(bot, true)], joined: [bot], left: [] });
    await until('inLobby', async () => (await view(id)).state === 'inLobby' || JSON.stringify(await view(id)) + '!');
    await callEvent(callId, 'participants-updated', { participants: [entry(bot), entry('ada')], joined: ['ada'], left: [] });
    await callEvent(callId, 'established');
    await until('joined', async () => (await view(id)).state === 'joined');
    const roster = await result<{ participants: { id: string }[] }>('participants', { id });
    expect(roster.participants.map((p) => p.id)).toEqual([bot, 'ada']);
    expect((await view(id)).history.map((h) => h.state)).toEqual(['requested', 'joining', 'inLobby', 'joined']);
    await until('meeting events', () => meetingEvents.filter((e) => e.joinId === id && e.type === 'state-changed').length === 4);
    expect(meetingEvents.filter((e) => e.joinId === id && e.type === 'participants-updated')).toHaveLength(2);
  });

  it('leaves on request: hangs up through signaling and reads the end as left on request', async () => {
    const { id } = await result<{ id: string }>('join', { meetingId: '123456789012', passcode: 'abc123' });
    const callId = await joined(id);
    await callEvent(callId, 'established');
    await until('joined', async () => (await view(id)).state === 'joined');
    expect(await result('leave', { id })).toMatchObject({ id, leaving: true });
    expect(signaling.hangUps).toContain(callId);
    await callEvent(callId, 'terminated', { resultInfo: { code: 200, subcode: 7000 } });
    const left = await until('left', async () => ((await view(id)).state === 'left' ? view(id) : undefined));
    expect(left).toMatchObject({ reason: { code: 'leftOnRequest' }, result: { code: 200, subcode: 7000 } });
    expect(await command('leave', { id })).toMatchObject({ ok: false, status: 409, code: 'WrongState' });
  });

  it('fails with the decoded lobby timeout', async () => {
    const { id } = await result<{ id: string }>('join', { token: 'meeting-token', as: 'guest', displayName: 'Waits' });
    const callId = await joined(id);
    await callEvent(callId, 'participants-updated', { participants: [entry(`bot-${callId}`, true)], joined: [], left: [] });
    await until('inLobby', async () => (await view(id)).state === 'inLobby');
    await callEvent(callId, 'terminated', { resultInfo: { code: 200, subcode: 5855 } });
    const failed = await until('failed', async () => ((await view(id)).state === 'failed' ? view(id) : undefined));
    expect(failed).toMatchObject({ reason: { code: 'lobbyTimeout' }, result: { code: 200, subcode: 5855, cause: expect.stringMatching(/lobby/) } });
  });

  it('carries out a scheduled join when due, and never places a cancelled one', async () => {
    const at = new Date(Date.now() + 1500).toISOString();
    const first = await result<{ id: string; state: string }>('join', { joinUrl, at });
    const second = await result<{ id: string; state: string }>('join', { joinUrl, at });
    expect([first.state, second.state]).toEqual(['scheduled', 'scheduled']);
    expect(await result('leave', { id: second.id })).toMatchObject({ state: 'cancelled' });
    await joined(first.id);
    expect((await view(first.id)).dueAt).toBe(new Date(at).toISOString());
    expect(signaling.places.some((p) => String(p['idempotencyKey']).includes(second.id))).toBe(false);
    expect((await view(second.id)).state).toBe('cancelled');
  });

  it('fails a join signaling refuses, with its reason, and places it once', async () => {
    signaling.refuse = { status: 404, code: 'MeetingNotFound', message: 'No meeting has the join meeting id' };
    try {
      const { id } = await result<{ id: string }>('join', { meetingId: '999999999', passcode: 'x' });
      const failed = await until('failed', async () => ((await view(id)).state === 'failed' ? view(id) : undefined));
      expect(failed.reason).toEqual({ code: 'refused', message: expect.stringContaining('MeetingNotFound') });
      expect(signaling.places.filter((p) => String(p['idempotencyKey']).includes(id))).toHaveLength(1);
    } finally {
      delete signaling.refuse;
    }
  });

  it('gives the same join for a repeated idempotency key, and 422 for another request with it', async () => {
    const key = randomUUID();
    const first = await result<{ id: string }>('join', { joinUrl, idempotencyKey: key });
    const again = await result<{ id: string }>('join', { joinUrl, idempotencyKey: key });
    expect(again.id).toBe(first.id);
    await joined(first.id);
    expect(signaling.places.filter((p) => String(p['idempotencyKey']).includes(first.id))).toHaveLength(1);
    expect(await command('join', { token: 'other', idempotencyKey: key })).toMatchObject({ ok: false, status: 422, code: 'IdempotencyKeyReused' });
  });

  it('refuses a bad request naming what is wrong, and stores nothing', async () => {
    const noTenant = joinUrl.replace(/context=.*/, `context=${encodeURIComponent(JSON.stringify({ Oid: organizer }))}`);
    const placesBefore = signaling.places.length;
    expect(await command('join', { joinUrl: noTenant })).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/joinUrl: the context has no Tid/) });
    expect(await command('join', { joinUrl, as: 'guest' })).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/displayName: a guest needs a displayName/) });
    expect(await command('join', { token: 't', at: 'meetingStart' })).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/at: a meeting named by token/) });
    expect(await command('get', { id: randomUUID() })).toMatchObject({ ok: false, status: 404, code: 'JoinNotFound' });
    expect(signaling.places.length).toBe(placesBefore);
  });

  it('answers REST with 503 while API_AUTH_OIDC_URL is unset', async () => {
    const res = await apps[0]!.app.inject({ method: 'POST', url: '/v1/meetings/joins', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ joinUrl }) });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'NotConfigured', message: expect.stringMatching(/API_AUTH_OIDC_URL/) });
  });

  it('with two replicas, one request places one call', async () => {
    apps.push(await boot());
    const before = signaling.calls;
    const ids = await Promise.all(Array.from({ length: 6 }, () => result<{ id: string }>('join', { joinUrl })));
    for (const { id } of ids) await joined(id);
    expect(signaling.calls - before).toBe(6);
  });
});
