import { connect, type JetStreamClient, type NatsConnection } from 'nats';
import { ensureNats, removeJetStreamNamespace, waitUntil, type NatsEndpoint } from '@switchboard/dev-infra';
import { natsNames, parseCallEvent, type CallEvent, type StoredNotification } from '@switchboard/nats-contracts';
import type { CommsNotification } from '@switchboard/graph-models';
import { FlowCatalog } from '../flows/flow-catalog';
import { RecordingTokenSeal } from '../recordings/recording-token-seal';
import { defaultTopology, ensureTopology } from '../jetstream/topology';
import { NotificationIntake } from '../webhook/notification-intake';
import { CallOrchestrator } from './call-orchestrator';
import { CallStateStore } from './call-state-store';
import { EffectExecutor } from './effect-executor';
import { effectId } from './effect-ids';
import { CallInputConsumer, notificationSource, scheduledInputSource } from './call-input-consumer';
import { JetStreamEventPublisher, JetStreamInputScheduler } from './jetstream-ports';
import { KeyedSerializer } from './keyed-serializer';
import type { CallControlPort } from './ports';

/** Records every Graph request instead of sending it: the collaborator faked in this integration test. */
class RecordingGraph implements CallControlPort {
  readonly requests: { action: string; callId: string }[] = [];
  failNext: { action: string; error: Error }[] = [];
  answer = (callId: string) => this.record('answer', callId);
  playPrompt = (callId: string) => this.record('playPrompt', callId);
  subscribeToTone = (callId: string) => this.record('subscribeToTone', callId);
  keepAlive = (callId: string) => this.record('keepAlive', callId);
  cancelMediaProcessing = (callId: string) => this.record('cancelMediaProcessing', callId);
  recordResponse = (callId: string) => this.record('recordResponse', callId);
  transfer = (callId: string) => this.record('transfer', callId);
  redirect = (callId: string) => this.record('redirect', callId);
  inviteParticipants = (callId: string) => this.record('inviteParticipants', callId);
  hangUp = (callId: string) => this.record('hangUp', callId);
  count = (action: string, callId: string) => this.requests.filter((r) => r.action === action && r.callId === callId).length;
  private async record(action: string, callId: string): Promise<void> {
    const failure = this.failNext.findIndex((f) => f.action === action);
    if (failure >= 0) throw this.failNext.splice(failure, 1)[0].error;
    this.requests.push({ action, callId });
  }
}

const identity = { tenantId: 'tenant-1', issuer: 'https://api.botframework.com', claims: {} };
const silent = () => undefined;
const uuid = (): string => crypto.randomUUID();
const recordingTokens = RecordingTokenSeal.fromCredential('test-client-secret', 'bot-app');

const incoming = (callId: string): CommsNotification => ({
  changeType: 'created',
  resourceUrl: `/communications/calls/${callId}`,
  resourceData: { '@odata.type': '#microsoft.graph.call', id: callId, state: 'incoming', direction: 'incoming' },
});
const established = (callId: string): CommsNotification => ({
  changeType: 'updated',
  resourceUrl: `/communications/calls/${callId}`,
  resourceData: { '@odata.type': '#microsoft.graph.call', state: 'established' },
});

const until = (condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) => waitUntil(condition, what, timeoutMs, 25);

jest.setTimeout(30_000);

describe('orchestration over JetStream (real NATS)', () => {
  let server: NatsEndpoint;
  let nc: NatsConnection;
  let js: JetStreamClient;
  const names = natsNames(`t${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`);
  let store: CallStateStore;
  let intake: NotificationIntake;
  const consumers: CallInputConsumer[] = [];
  const events: CallEvent[] = [];

  beforeAll(async () => {
    server = await ensureNats();
    nc = await connect({ servers: server.url });
    js = nc.jetstream();
    await ensureTopology(await nc.jetstreamManager(), names, { ...defaultTopology, ackWaitMs: 4000, maxDeliver: 5 });
    store = new CallStateStore(await js.views.kv(names.callStateBucket, { history: 1 }));
    intake = new NotificationIntake(js, names);
    const sub = nc.subscribe(names.eventSubjects);
    void (async () => {
      for await (const m of sub) events.push(parseCallEvent(m.data));
    })();
  });

  // Each test starts its own replicas; they stop after it, also when it fails.
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await removeJetStreamNamespace(nc, names);
    await nc.close();
    await server.stop();
  });

  /** A signaling replica's orchestration: both consumers, sharing one per-call serializer. */
  async function replica(replicaId: string, graph: CallControlPort, options: { claimLeaseMs?: number; keepAliveIntervalMs?: number } = {}): Promise<void> {
    const unused = async () => {
      throw new Error('not used in these tests');
    };
    const executor = new EffectExecutor(
      { graph, events: new JetStreamEventPublisher(js, names), inputs: new JetStreamInputScheduler(js, names), webhooks: { ask: unused }, recordings: { store: unused }, recordingTokens },
      { callbackUri: 'https://bot.example/api/calling' },
    );
    const orchestrator = new CallOrchestrator(store, executor, (e) => ((e as Error).message.includes('permanent') ? 'permanent' : 'transient'), {
      replicaId,
      flows: FlowCatalog.load(undefined, 'https://p/w.wav'),
      recordingTokens,
      keepAliveIntervalMs: options.keepAliveIntervalMs ?? 600_000,
      claimLeaseMs: options.claimLeaseMs ?? 2000,
      maxEffectAttempts: 3,
      log: silent,
    });
    const serializer = new KeyedSerializer();
    for (const source of [notificationSource(names), scheduledInputSource(names)]) {
      const consumer = new CallInputConsumer(js, names, source, orchestrator, serializer, { maxDeliver: 5, concurrency: 16, log: silent });
      consumers.push(consumer);
      await consumer.start();
    }
  }

  const deliver = async (...notifications: CommsNotification[]) => intake.store(intake.validate({ value: notifications }), identity);

  it('answers once when Graph delivers the same batch twice, and stores the duplicate once', async () => {
    const graph = new RecordingGraph();
    await replica('solo', graph);
    const callId = uuid();
    expect(await deliver(incoming(callId))).toEqual({ stored: 1, duplicates: 0 });
    expect(await deliver(incoming(callId))).toEqual({ stored: 0, duplicates: 1 });
    await until(() => graph.count('answer', callId) === 1, 'the answer');
    // A redelivery that escaped the duplicate window (different message id, same content) changes nothing either.
    const stored: StoredNotification = { receivedAt: new Date().toISOString(), tenantId: 'tenant-1', issuer: 'x', notification: incoming(callId) };
    await js.publish(names.notificationSubject(callId), JSON.stringify(stored), { msgID: uuid() });
    await deliver(established(callId));
    // Settled: the welcome prompt went out and the outbox is empty again.
    await until(async () => graph.count('playPrompt', callId) === 1 && (await store.get(callId))?.record.outbox.length === 0, 'the settled welcome prompt');
    expect(graph.count('answer', callId)).toBe(1);
    expect(graph.count('subscribeToTone', callId)).toBe(1);
    expect((await store.get(callId))?.record).toMatchObject({ state: 'established', outbox: [] });
  });

  it('two replicas on the same consumer never answer a call twice', async () => {
    const graph = new RecordingGraph();
    await Promise.all([replica('r1', graph), replica('r2', graph)]);
    const calls = Array.from({ length: 30 }, () => uuid());
    await Promise.all(calls.map((id) => deliver(incoming(id))));
    await Promise.all(calls.map((id) => deliver(established(id))));
    await until(() => calls.every((id) => graph.count('playPrompt', id) === 1), 'every call to be set up');
    await new Promise((r) => setTimeout(r, 300));
    for (const id of calls) {
      expect([graph.count('answer', id), graph.count('playPrompt', id), graph.count('subscribeToTone', id)]).toEqual([1, 1, 1]);
    }
    const incomingEvents = events.filter((e) => e.type === 'incoming' && calls.includes(e.callId));
    expect(incomingEvents).toHaveLength(calls.length);
  });

  it('takes over an effect whose replica died after claiming it', async () => {
    const callId = uuid();
    // A replica decided to answer, claimed the effect and died before carrying it out.
    const now = Date.now();
    await store.write(
      {
        callId, tenantId: 'tenant-1', direction: 'incoming', state: 'incoming', createdAt: new Date(now).toISOString(), updatedAt: new Date(now).toISOString(),
        handler: { kind: 'flow', flowId: 'welcome' }, eventCount: 0, appliedTones: [], finishedOperations: [], doneEffects: [], timers: {}, timerCount: 0, history: [],
        outbox: [{ id: effectId({ kind: 'answer' }), action: { kind: 'answer' }, attempts: 0, claimedBy: 'dead-replica', claimedAt: now - 60_000 }],
      },
      undefined,
    );
    const graph = new RecordingGraph();
    await replica('survivor', graph);
    await deliver(incoming(callId)); // the redelivery of the notification the dead replica never acknowledged
    await until(() => graph.count('answer', callId) === 1, 'the answer by the survivor');
    expect((await store.get(callId))?.record.doneEffects).toContain('answer');
  });

  it('retries an effect after a transient failure and reports a permanent one', async () => {
    const graph = new RecordingGraph();
    graph.failNext = [
      { action: 'answer', error: new Error('503 from Graph') },
      { action: 'playPrompt', error: new Error('permanent: 400 bad prompt') },
    ];
    await replica('retrier', graph);
    const callId = uuid();
    await deliver(incoming(callId));
    await until(() => graph.count('answer', callId) === 1, 'the retried answer');
    await deliver(established(callId));
    await until(() => events.some((e) => e.callId === callId && e.type === 'effect-failed'), 'the effect-failed event');
    await until(() => graph.count('subscribeToTone', callId) === 1, 'the tone subscription');
    expect(graph.count('playPrompt', callId)).toBe(0);
    expect(events.find((e) => e.callId === callId && e.type === 'effect-failed')).toMatchObject({ effect: expect.stringMatching(/^graph:welcome/), error: 'permanent: 400 bad prompt' });
  });

  it('sends keepAlive on its durable timer while the call lives, and stops when it ends', async () => {
    const graph = new RecordingGraph();
    await replica('keeper', graph, { keepAliveIntervalMs: 1000 });
    const callId = uuid();
    await deliver(incoming(callId));
    await deliver(established(callId));
    await until(() => graph.count('keepAlive', callId) >= 2, 'two keepAlives', 10_000);
    await deliver({ changeType: 'deleted', resourceUrl: `/communications/calls/${callId}`, resourceData: { state: 'terminated' } });
    await until(() => events.some((e) => e.callId === callId && e.type === 'terminated'), 'the end of the call');
    const sent = graph.count('keepAlive', callId);
    await new Promise((r) => setTimeout(r, 2500));
    expect(graph.count('keepAlive', callId)).toBe(sent);
  });

  it('keeps the same flow timer id of two calls apart on the inputs stream', async () => {
    const scheduler = new JetStreamInputScheduler(js, names);
    const jsm = await nc.jetstreamManager();
    const before = (await jsm.streams.info(names.inputsStream)).state.messages;
    const timer = { kind: 'timer' as const, timerId: 'menu:4', purpose: 'ivr' as const, dueAt: Date.now() + 3_600_000 };
    await scheduler.schedule(uuid(), timer);
    await scheduler.schedule(uuid(), timer);
    expect((await jsm.streams.info(names.inputsStream)).state.messages).toBe(before + 2);
  });
});
