import { connect, type JetStreamClient, type NatsConnection } from 'nats';
import { ensureNats, removeJetStreamNamespace, waitUntil, type NatsEndpoint } from '@switchboard/dev-infra';
import { JetStreamPipeline } from '@switchboard/jetstream';
import { natsNames, parseCallEvent, type CallEvent, type StoredNotification } from '@switchboard/nats-contracts';
import { commsNotificationsSchema, commsOperationSchema, documentedNotifications, type CommsNotification, type CommsOperation } from '@switchboard/graph-models';
import { FlowCatalog } from '../flows/flow-catalog';
import { RecordingTokenSeal } from '../recordings/recording-token-seal';
import { defaultTopology, ensureTopology } from '../jetstream/topology';
import { NotificationIntake } from '../webhook/notification-intake';
import { CallOrchestrator } from './call-orchestrator';
import { CallStateStore } from './call-state-store';
import { EffectExecutor } from './effect-executor';
import { effectId } from './effect-ids';
import { newOutgoingRecord, type CallRecord } from './call-record';
import { AdmissionControl } from './admission-control';
import { CallInputConsumer, notificationSource, scheduledInputSource, type EarlyNotificationSigns, type ReplicaLoad } from './call-input-consumer';
import { JetStreamEventPublisher, JetStreamInputScheduler } from './jetstream-ports';
import { KeyedSerializer } from './keyed-serializer';
import { PriorityGate } from './priority-gate';
import type { InputOutcome } from './orchestration.metrics';
import type { CallControlPort, EventPublisher } from './ports';

/** Records every Graph request instead of sending it: the collaborator faked in this integration test. */
class RecordingGraph implements CallControlPort {
  readonly requests: { action: string; callId: string }[] = [];
  failNext: { action: string; error: Error }[] = [];
  answer = (callId: string) => this.record('answer', callId);
  reject = (callId: string) => this.record('reject', callId);
  playPrompt = (callId: string) => this.record('playPrompt', callId);
  subscribeToTone = (callId: string) => this.record('subscribeToTone', callId);
  keepAlive = (callId: string) => this.record('keepAlive', callId);
  cancelMediaProcessing = (callId: string) => this.record('cancelMediaProcessing', callId);
  recordResponse = (callId: string) => this.record('recordResponse', callId);
  transfer = (callId: string) => this.record('transfer', callId);
  redirect = (callId: string) => this.record('redirect', callId);
  inviteParticipants = (callId: string) => this.record('inviteParticipants', callId);
  hangUp = (callId: string) => this.record('hangUp', callId);
  /** Graph's usual answer: the operation, completed at once. */
  updateRecordingStatus = async (callId: string, body: { clientContext?: string }): Promise<CommsOperation> => {
    await this.record('updateRecordingStatus', callId);
    return commsOperationSchema.parse({ '@odata.type': '#microsoft.graph.updateRecordingStatusOperation', id: `op-${callId}`, status: 'completed', clientContext: body.clientContext, resultInfo: { code: 200, subcode: 0 } });
  };
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

/** What a replica's consumers share; admission that never refuses (a test that refuses says so to the orchestrator). */
const replicaLoad = (concurrency: number): ReplicaLoad => ({
  serializer: new KeyedSerializer(),
  gate: new PriorityGate(concurrency),
  admission: new AdmissionControl({ maxInputDelayMs: 0 }),
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
  let earlySigns: EarlyNotificationSigns;
  const consumers: CallInputConsumer[] = [];
  const events: CallEvent[] = [];

  beforeAll(async () => {
    server = await ensureNats();
    nc = await connect({ servers: server.url });
    js = nc.jetstream();
    await ensureTopology(await nc.jetstreamManager(), names, { ...defaultTopology, ackWaitMs: 4000 });
    store = await CallStateStore.open(nc, names.callStateBucket, { history: 1 });
    const pipeline = new JetStreamPipeline(nc);
    intake = new NotificationIntake(pipeline, names);
    earlySigns = { placements: store, notifications: pipeline };
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
  type Log = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) => void;
  async function replica(
    replicaId: string,
    graph: CallControlPort,
    options: { claimLeaseMs?: number; keepAliveIntervalMs?: number; log?: Log; outcomes?: InputOutcome[]; events?: EventPublisher; admitting?: () => boolean } = {},
  ): Promise<void> {
    const unused = async () => {
      throw new Error('not used in these tests');
    };
    const executor = new EffectExecutor(
      { graph, events: options.events ?? new JetStreamEventPublisher(js, names), inputs: new JetStreamInputScheduler(js, names), webhooks: { ask: unused }, recordings: { store: unused }, grants: { start: unused, stop: unused, renew: unused }, recordingTokens },
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
      ...(options.admitting ? { admission: { admitting: options.admitting } } : {}),
    });
    const load = replicaLoad(8);
    for (const source of [notificationSource(names, earlySigns), scheduledInputSource(names)]) {
      const observer = { input: (_source: string, outcome: InputOutcome) => options.outcomes?.push(outcome), effect: silent, waited: silent };
      const consumer = new CallInputConsumer(js, names, source, orchestrator, load, { maxDeliver: 5, prefetch: 16, log: options.log ?? silent, observer });
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

  it('answers a call while its incoming event is still being published, and settles both in the record', async () => {
    const graph = new RecordingGraph();
    const held: { event: CallEvent; release: () => void }[] = [];
    const publisher = new JetStreamEventPublisher(js, names);
    const slowEvents: EventPublisher = {
      publish: (event) => new Promise<void>((resolve) => held.push({ event, release: () => void publisher.publish(event).then(resolve) })),
    };
    await replica('eager', graph, { events: slowEvents });
    const callId = uuid();
    await deliver(incoming(callId));
    await until(() => graph.count('answer', callId) === 1, 'the answer');
    expect(held.map((h) => h.event.type)).toEqual(['incoming']);
    expect((await store.get(callId))?.record.outbox.map((i) => i.id)).toEqual([effectId({ kind: 'event', eventNumber: 1, type: 'incoming' }), effectId({ kind: 'answer' })]);
    held[0].release();
    await until(async () => (await store.get(callId))?.record.outbox.length === 0, 'the outbox to empty');
    expect((await store.get(callId))?.record.doneEffects).toEqual([effectId({ kind: 'answer' })]);
  });

  it('refuses a new call (busy) instead of answering it while over capacity, and ends its record when Graph reports it gone', async () => {
    const graph = new RecordingGraph();
    await replica('full', graph, { admitting: () => false });
    const callId = uuid();
    await deliver(incoming(callId));
    await until(async () => graph.count('reject', callId) === 1 && (await store.get(callId))?.record.outbox.length === 0, 'the refusal');
    expect(graph.count('answer', callId)).toBe(0);
    await deliver({ changeType: 'deleted', resourceUrl: `/communications/calls/${callId}`, resourceData: { '@odata.type': '#microsoft.graph.call', state: 'terminated' } });
    await until(async () => (await store.get(callId))?.record.state === 'terminated', 'the call to end');
    expect((await store.get(callId))?.record.doneEffects).toEqual([effectId({ kind: 'reject' })]);
  });

  /** A call answered by a new replica, which remembers its record; `changeElsewhere` writes it as another replica would. */
  async function answeredCall(replicaId: string) {
    const graph = new RecordingGraph();
    const outcomes: InputOutcome[] = [];
    await replica(replicaId, graph, { outcomes });
    const callId = uuid();
    await deliver(incoming(callId));
    await until(async () => graph.count('answer', callId) === 1 && (await store.get(callId))?.record.outbox.length === 0, 'the settled answer');
    // Its own store, so nothing in the replica remembers the write.
    const elsewhere = await CallStateStore.open(nc, names.callStateBucket, { history: 1 });
    const changeElsewhere = async (change: Partial<CallRecord>) => {
      const stored = await elsewhere.get(callId);
      if (!stored) throw new Error('the call has no record');
      return elsewhere.write({ ...stored.record, ...change }, stored.revision);
    };
    const applied = async (notification: CommsNotification) => {
      const before = outcomes.length;
      await deliver(notification);
      await until(() => outcomes.length > before, 'the notification to be applied');
    };
    return { graph, callId, elsewhere, changeElsewhere, applied };
  }

  it('decides from the stored record, not from the one it remembers, when another replica wrote since', async () => {
    const { graph, callId, changeElsewhere, applied } = await answeredCall('remembers');
    // Another replica saw the call end meanwhile.
    await changeElsewhere({ state: 'terminated' });
    await applied(established(callId));
    expect(graph.count('playPrompt', callId) + graph.count('subscribeToTone', callId)).toBe(0);
    expect((await store.get(callId))?.record.state).toBe('terminated');
  });

  it('applies a notification its remembered record says changes nothing when the stored record, written elsewhere since, differs', async () => {
    const { callId, elsewhere, changeElsewhere, applied } = await answeredCall('remembers-unchanged');
    await applied(established(callId));
    await until(async () => (await store.get(callId))?.record.outbox.length === 0, 'the established call settled');
    expect((await store.get(callId))?.record.state).toBe('established');
    // Another replica wrote the call back to establishing; this one remembers it established, where `established` changes nothing.
    const revision = await changeElsewhere({ state: 'establishing' });
    await applied(established(callId));
    const after = await elsewhere.get(callId);
    expect(after?.record.state).toBe('established');
    expect(after?.revision).toBeGreaterThan(revision);
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

  it('ignores a notification for a call nobody placed at its first look, and looks again at one that may precede a placed call\'s record', async () => {
    const graph = new RecordingGraph();
    const logs: { msg: string; fields: Record<string, unknown> }[] = [];
    await replica('early', graph, { log: (_level, msg, fields) => logs.push({ msg, fields }) });
    const ignored = (callId: string) => logs.find((l) => l.msg === 'call input ignored' && l.fields['callId'] === callId);
    const nobodys = uuid();
    await deliver(established(nobodys));
    await until(() => ignored(nobodys) !== undefined, 'the notification to be ignored');
    expect(ignored(nobodys)?.fields['delivery']).toBe(1);

    // The API marks a placement before asking Graph, and writes the record once Graph answered: after the notification.
    await store.markPlacement();
    const placed = uuid();
    await deliver(established(placed));
    await store.write(newOutgoingRecord({ callId: placed, tenantId: 'tenant-1', handler: { kind: 'app', app: 'tests' }, placedBy: { subject: 'tests', requestId: 'r-1' }, now: new Date() }), undefined);
    await until(async () => (await store.get(placed))?.record.state === 'established', 'the early notification to be applied on its second look');
    expect(ignored(placed)).toBeUndefined();
  });

  it('keeps a call\'s timers coming while more timers than one consumer\'s worth of slots wait for minutes', async () => {
    const graph = new RecordingGraph();
    await replica('timers', graph, { keepAliveIntervalMs: 1000 });
    // A thousand and more established calls, each with its keepAlive ten minutes out: every one held by the consumer.
    const scheduler = new JetStreamInputScheduler(js, names);
    const dueAt = Date.now() + 600_000;
    await Promise.all(Array.from({ length: 1200 }, () => scheduler.schedule(uuid(), { kind: 'timer', timerId: 'keepAlive', purpose: 'keepAlive', dueAt })));
    const jsm = await nc.jetstreamManager();
    await until(async () => (await jsm.consumers.info(names.inputsStream, names.inputsConsumer)).num_ack_pending >= 1000, 'the timers to be held');
    const callId = uuid();
    await deliver(incoming(callId));
    await deliver(established(callId));
    await until(() => graph.count('keepAlive', callId) >= 2, 'two keepAlives of the new call', 10_000);
  });

  /** Dead-lettered messages of one call: the reason and the subject each was stored under. */
  async function deadLetters(callId: string): Promise<{ reason: string; subject: string }[]> {
    const jsm = await nc.jetstreamManager();
    const { state } = await jsm.streams.info(names.deadLetterStream);
    const found: { reason: string; subject: string }[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(names.deadLetterStream, { seq });
      const subject = m.header.get('Switchboard-Original-Subject');
      if (subject === names.notificationSubject(callId)) found.push({ reason: m.header.get('Switchboard-Reason'), subject });
    }
    return found;
  }

  const settledConsumer = async () => {
    const info = await (await nc.jetstreamManager()).consumers.info(names.notificationsStream, names.orchestratorConsumer);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  };

  it('dead-letters a stored notification it cannot interpret, with its reason, logs and counts it, and acknowledges it only then', async () => {
    const graph = new RecordingGraph();
    const logs: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
    const outcomes: InputOutcome[] = [];
    await replica('reader', graph, { log: (level, msg, fields) => logs.push({ level, msg, fields }), outcomes });
    const callId = uuid();
    await deliver(incoming(callId));
    await until(() => graph.count('answer', callId) === 1, 'the answer');
    // An operation whose status is no documented member, in any casing.
    await deliver({
      changeType: 'updated',
      resourceUrl: `/communications/calls/${callId}/operations/op-1`,
      resourceData: { '@odata.type': '#microsoft.graph.playPromptOperation', id: 'op-1', status: 'exploded' },
    });
    await until(async () => (await deadLetters(callId)).length === 1, 'the dead-lettered notification');
    expect(await deadLetters(callId)).toEqual([{ subject: names.notificationSubject(callId), reason: expect.stringMatching(/^uninterpretable: resourceData\.status: /) }]);
    await until(settledConsumer, 'the acknowledgement');
    expect(outcomes).toContain('uninterpretable');
    expect(logs).toContainEqual({ level: 'error', msg: 'uninterpretable notification dead-lettered', fields: { callId, reason: expect.stringMatching(/^resourceData\.status: /) } });
  });

  it('redelivers an uninterpretable notification while the dead-letter stream cannot take it, instead of acknowledging it', async () => {
    const graph = new RecordingGraph();
    const outcomes: InputOutcome[] = [];
    await replica('reader', graph, { outcomes });
    const callId = uuid();
    await deliver(incoming(callId));
    await until(() => graph.count('answer', callId) === 1, 'the answer');
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(names.deadLetterStream);
    try {
      await deliver({ changeType: 'updated', resourceUrl: `/communications/calls/${callId}/participants`, resourceData: [{ id: 'p1', mediaStreams: [{ mediaType: 'hologram' }] }] });
      await until(() => outcomes.includes('dead-letter-failed'), 'a dead-letter that could not be stored');
    } finally {
      await ensureTopology(jsm, names, { ...defaultTopology, ackWaitMs: 4000 });
    }
    await until(async () => (await deadLetters(callId)).length === 1, 'the dead-lettered notification', 20_000);
    expect((await deadLetters(callId))[0].reason).toMatch(/^uninterpretable: resourceData\[0\]\.mediaStreams\[0\]\.mediaType: /);
    await until(settledConsumer, 'the acknowledgement');
  });

  it('applies every documented notification shape it is given through the intake, and dead-letters none', async () => {
    const graph = new RecordingGraph();
    const outcomes: InputOutcome[] = [];
    await replica('documented', graph, { outcomes });
    const shapes = documentedNotifications.map((shape) => {
      const callId = uuid();
      // The documented notification, moved onto a call this test set up.
      const [n] = commsNotificationsSchema.parse(shape.body).value;
      return { name: shape.name, callId, notification: { ...n, resourceUrl: (n.resourceUrl ?? n.resource ?? '').replace(/calls\/[^/]+/, `calls/${callId}`) } };
    });
    for (const { callId } of shapes) await deliver(incoming(callId), established(callId));
    await until(() => shapes.every(({ callId }) => graph.count('playPrompt', callId) === 1), 'every call established');
    for (const { notification } of shapes) await deliver(notification);
    await until(settledConsumer, 'every notification applied');
    for (const { callId } of shapes) expect(await deadLetters(callId)).toEqual([]);
    expect(outcomes.filter((o) => o === 'uninterpretable' || o === 'dead-lettered')).toEqual([]);
    const dtmf = (name: string) => {
      const callId = shapes.find((s) => s.name === name)!.callId;
      return events.find((e) => e.callId === callId && e.type === 'operation-completed');
    };
    await until(() => dtmf('sendDtmfTones completed with completionReason unknown') !== undefined, 'the operation events');
    expect(dtmf('sendDtmfTones completed successfully')).toMatchObject({ status: 'completed' });
    expect(dtmf('sendDtmfTones completed with completionReason mediaOperationCanceled')).toMatchObject({ status: 'failed', completionReason: 'mediaOperationCanceled' });
    expect(dtmf('sendDtmfTones completed with completionReason unknown')).toMatchObject({ status: 'failed', completionReason: 'unknown' });
    expect(dtmf('invite operation completed with id null (the id is in resourceUrl)')).toMatchObject({ status: 'completed', operationId: 'participants' });
  });

  it('sends updateRecordingStatus once per clientContext, and reports Graph\'s immediate answer as the operation\'s event', async () => {
    const graph = new RecordingGraph();
    await replica('recorder', graph);
    const callId = uuid();
    await deliver(incoming(callId));
    await deliver(established(callId));
    await until(() => graph.count('playPrompt', callId) === 1, 'the established call');
    const input = { kind: 'recording-status', requestId: 'recording-status:compliance:g1:recording', status: 'recording', clientContext: 'compliance:g1:recording' };
    // The same cause twice, past the stream's duplicate detection: the reducer still decides it once.
    await js.publish(names.inputSubject(callId), JSON.stringify(input), { msgID: uuid() });
    await js.publish(names.inputSubject(callId), JSON.stringify(input), { msgID: uuid() });
    const outcome = () => events.filter((e) => e.callId === callId && e.type === 'operation-completed');
    await until(() => outcome().length === 1, 'the status outcome');
    await until(async () => (await store.get(callId))?.record.outbox.length === 0, 'the settled outbox');
    await new Promise((r) => setTimeout(r, 300));
    expect(graph.count('updateRecordingStatus', callId)).toBe(1);
    expect(outcome()).toEqual([
      expect.objectContaining({ eventId: expect.stringMatching(new RegExp(`^${callId}:\\d+:operation-completed$`)), operationId: `op-${callId}`, operationKind: 'updateRecordingStatusOperation', status: 'completed', clientContext: 'compliance:g1:recording' }),
    ]);
    expect((await store.get(callId))?.record.doneEffects).toContain('graph:compliance:g1:recording');
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

  it('dead-letters an input the orchestrator cannot interpret, and what cannot be decoded', async () => {
    const unreadable = { handle: async () => ({ kind: 'uninterpretable', reason: 'no call resource in the notification' }) } as unknown as CallOrchestrator;
    const consumer = new CallInputConsumer(js, names, notificationSource(names, earlySigns), unreadable, replicaLoad(4), { maxDeliver: 5, prefetch: 4, log: silent });
    consumers.push(consumer);
    await consumer.start();
    const jsm = await nc.jetstreamManager();
    const deadLetters = async () => (await jsm.streams.info(names.deadLetterStream)).state.messages;
    const before = await deadLetters();
    const callId = uuid();
    await deliver(incoming(callId));
    await js.publish(names.notificationSubject(callId), 'not a stored notification');
    await until(async () => (await deadLetters()) === before + 2, 'two dead-letters');
    const reasons = await Promise.all([1, 2].map(async (n) => (await jsm.streams.getMessage(names.deadLetterStream, { seq: before + n })).header.get('Switchboard-Reason')));
    expect(reasons).toHaveLength(2);
    expect(reasons).toEqual(expect.arrayContaining(['uninterpretable: no call resource in the notification', expect.stringMatching(/^undecodable: /)]));
    await until(async () => (await jsm.consumers.info(names.notificationsStream, names.orchestratorConsumer)).num_ack_pending === 0, 'both settled');
  });
});
