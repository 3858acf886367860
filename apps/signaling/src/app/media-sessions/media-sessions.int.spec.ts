import { connect, type JetStreamClient, type NatsConnection } from 'nats';
import { natsForSpecFile, removeJetStreamNamespace, waitUntil } from '@switchboard/dev-infra';
import { callInputSchema, natsNames, type CallInput, type FlowMediaEvent, type MediaSessionEvent } from '@switchboard/nats-contracts';
import { defaultTopology, ensureTopology } from '../jetstream/topology';
import { JetStreamInputScheduler } from '../orchestration/jetstream-ports';
import { MediaCommandRefused } from '../orchestration/ports';
import { MediaCallDirectory } from '@switchboard/jetstream';
import { MediaEventRelay } from './media-event-relay';
import { NatsMediaSessions } from './nats-media-sessions';

const nats = natsForSpecFile();
const names = natsNames(`ms${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`);
const until = (condition: () => boolean | Promise<boolean>, what: string) => waitUntil(condition, what, 15_000, 25);

jest.setTimeout(30_000);

describe('media sessions of app-hosted calls over real NATS', () => {
  let nc: NatsConnection;
  let js: JetStreamClient;

  beforeAll(async () => {
    nc = await connect({ servers: nats.url });
    js = nc.jetstream();
    await ensureTopology(await nc.jetstreamManager(), names, { ...defaultTopology, ackWaitMs: 4000 });
  });

  afterAll(async () => {
    await removeJetStreamNamespace(nc, names);
    await nc.close();
  });

  describe('the pods’ events, relayed to their calls', () => {
    let relay: MediaEventRelay;
    let calls: MediaCallDirectory;

    beforeAll(async () => {
      calls = new MediaCallDirectory(await js.views.kv(names.mediaCallsBucket, { history: 1 }));
      relay = new MediaEventRelay(js, names, calls, new JetStreamInputScheduler(js, names), { maxDeliver: 3, log: () => undefined });
      await relay.start();
    });
    afterAll(() => relay.stop());

    /** What a media pod does: core NATS, no message id, no acknowledgement. */
    const publish = (event: MediaSessionEvent | Record<string, unknown>) =>
      nc.publish(names.mediaEventSubject(String(event.callId), event.type as MediaSessionEvent['type']), JSON.stringify(event));
    const envelope = (callId: string) => ({ callId, podName: 'media-1', occurredAt: new Date().toISOString() });

    /** The inputs stored for a call, in order. */
    async function inputsOf(callId: string): Promise<CallInput[]> {
      const jsm = await nc.jetstreamManager();
      const { state } = await jsm.streams.info(names.inputsStream);
      const found: CallInput[] = [];
      for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
        const m = await jsm.streams.getMessage(names.inputsStream, { seq }).catch(() => undefined);
        if (m?.subject === names.inputSubject(callId)) found.push(callInputSchema.parse(m.json()));
      }
      return found;
    }
    const relayed = async (callId: string) => (await inputsOf(callId)).map((i) => (i.kind === 'media-event' ? `${i.requestId} ${i.event.type}` : i.kind));

    it('turns the events a flow acts on into inputs of the call, in order, each once', async () => {
      const callId = crypto.randomUUID();
      const events: FlowMediaEvent[] = [
        { ...envelope(callId), type: 'session-started', atMs: 0, grpcTarget: 'media-1:50051' },
        { ...envelope(callId), type: 'dtmf', atMs: 1520, digit: '1', source: 'audio' },
        { ...envelope(callId), type: 'prompt-completed', atMs: 1540, id: 'menu:3', reason: 'barged-in', framesPlayed: 76 },
        { ...envelope(callId), type: 'dtmf', atMs: 1760, digit: '#', source: 'audio' },
        { ...envelope(callId), type: 'record-completed', atMs: 3000, id: 'message:5', reason: 'not-granted' },
      ];
      for (const event of events) publish(event);
      // Speech is for apps following the call, not kept for flows; a repeat of an event is one input.
      publish({ ...envelope(callId), type: 'speech-started', atMs: 1600, stream: 'mixed' });
      publish(events[1]);
      await until(async () => (await inputsOf(callId)).length >= 5, 'five inputs relayed');
      await until(async () => (await (await nc.jetstreamManager()).consumers.info(names.mediaEventsStream, names.mediaEventsConsumer)).num_pending === 0, 'every event relayed');
      expect(await relayed(callId)).toEqual([
        'media:session-started session-started',
        'media:dtmf:1520 dtmf',
        'media:prompt-completed:menu:3 prompt-completed',
        'media:dtmf:1760 dtmf',
        'media:record-completed:message:5 record-completed',
      ]);
      const [, key] = await inputsOf(callId);
      expect(key).toEqual({ kind: 'media-event', requestId: 'media:dtmf:1520', event: events[1] });
    });

    it('finds an API-placed call by the media call id its pod knows, without scanning', async () => {
      const mediaCallId = crypto.randomUUID();
      const callId = crypto.randomUUID();
      await calls.remember(mediaCallId, callId);
      publish({ ...envelope(mediaCallId), type: 'session-failed', atMs: 10, error: 'the bridge stopped' });
      await until(async () => (await inputsOf(callId)).length === 1, 'the input under Graph’s call id');
      expect(await inputsOf(mediaCallId)).toEqual([]);
      expect(await calls.callIdOf(mediaCallId)).toBe(callId);
      expect(await calls.callIdOf('an-incoming-call')).toBe('an-incoming-call');
    });

    it('dead-letters an event that breaks the contract, and relays the next one', async () => {
      const callId = crypto.randomUUID();
      publish({ ...envelope(callId), type: 'dtmf', atMs: 5, digit: 'x', source: 'audio' });
      publish({ ...envelope(callId), type: 'dtmf', atMs: 60, digit: '5', source: 'audio' });
      await until(async () => (await inputsOf(callId)).length === 1, 'the valid key relayed');
      expect(await relayed(callId)).toEqual(['media:dtmf:60 dtmf']);
      const jsm = await nc.jetstreamManager();
      const { state } = await jsm.streams.info(names.deadLetterStream);
      const last = await jsm.streams.getMessage(names.deadLetterStream, { seq: state.last_seq });
      expect(last.header.get('Switchboard-Original-Subject')).toBe(names.mediaEventSubject(callId, 'dtmf'));
      expect(last.header.get('Switchboard-Reason')).toBe('undecodable: not a media event of the contract: digit: Invalid string: must match pattern /^[0-9*#A-D]$/');
    });
  });

  describe('a flow’s commands to the pod hosting the call', () => {
    const sessions = () => new NatsMediaSessions(nc, names, 500);
    const play = { id: 'menu:3', uri: 'https://prompts.example/menu.wav' };

    /** A pod's command subscription for one call and verb, answering `reply`. */
    function pod(mediaCallId: string, verb: 'play' | 'record' | 'cancel', reply: ((body: unknown) => unknown) | 'silent') {
      const received: unknown[] = [];
      const sub = nc.subscribe(names.mediaCommandSubject(mediaCallId, verb), {
        callback: (_err, msg) => {
          received.push(msg.json());
          if (reply !== 'silent') msg.respond(JSON.stringify(reply(msg.json())));
        },
      });
      return { received, close: () => sub.unsubscribe() };
    }

    it('sends the command to the pod hosting the call and resolves when it took it', async () => {
      const p = pod('call-a', 'play', (body) => ({ ok: true, id: (body as { id: string }).id, queued: 0 }));
      await nc.flush();
      await sessions().command('call-a', 'play', { ...play, bargeIn: { keys: true } });
      expect(p.received).toEqual([{ ...play, bargeIn: { keys: true } }]);
      p.close();
    });

    it('counts a prompt already queued (a repeat after a takeover) as done', async () => {
      const p = pod('call-b', 'play', () => ({ ok: false, error: 'duplicate', message: 'prompt menu:3 is already queued or playing on this call' }));
      await nc.flush();
      await expect(sessions().command('call-b', 'play', play)).resolves.toBeUndefined();
      p.close();
    });

    it('throws MediaCommandRefused when the pod refuses, or when no pod hosts the session', async () => {
      const p = pod('call-c', 'record', () => ({ ok: false, error: 'invalid', message: 'invalid payload: maxDurationSeconds: too big' }));
      await nc.flush();
      const refused = sessions().command('call-c', 'record', { id: 'message:5', maxDurationSeconds: 30 });
      await expect(refused).rejects.toThrow(MediaCommandRefused);
      await expect(refused).rejects.toThrow('media record for call call-c refused (invalid): invalid payload: maxDurationSeconds: too big');
      p.close();
      await expect(sessions().command('call-nowhere', 'cancel', {})).rejects.toThrow('media cancel for call call-nowhere: no media pod hosts its session');
    });

    it('leaves a pod that does not answer in time to a retry (not a refusal)', async () => {
      const p = pod('call-d', 'cancel', 'silent');
      await nc.flush();
      const late = sessions().command('call-d', 'cancel', {});
      await expect(late).rejects.toThrow();
      await expect(late).rejects.not.toBeInstanceOf(MediaCommandRefused);
      expect(p.received).toEqual([{}]);
      p.close();
    });
  });
});
