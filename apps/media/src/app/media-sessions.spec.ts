import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { credentials, type ClientDuplexStream, type ServiceError, status } from '@grpc/grpc-js';
import { connect, type NatsConnection, type Subscription } from 'nats';
import { natsForSpecFile } from '@switchboard/dev-infra';
import { dtmfSequence, FRAME_SAMPLES, pcm16View, SpeechLikeSource, writeWav } from '@switchboard/media-dsp';
import {
  AttachCallRequest,
  AttachCallResponse,
  AudioFormat,
  MediaKind,
  MediaServiceClient,
  MediaSessionSettings,
  StreamCallRequest,
  StreamCallResponse,
  VideoFormat,
} from '@switchboard/media-proto';
import { natsNames, parseMediaSessionEvent, type MediaSessionEvent } from '@switchboard/nats-contracts';
import { captureLogs, createLogger } from '@switchboard/service-kit';
import { MediaClient, MediaCommandError } from '@switchboard/media-client';
import { MediaServer, startMediaServer } from './media-server';
import { connectSessionsToNats, type MediaSessionsOnNats } from './session/media-sessions-nats';
import { natsMediaEventPublisher } from './session/nats-media-events';
import { httpPromptLoader } from './session/prompt-source';
import { audioFrame, bytesOf, framesOf, unmixedFrame } from './testing/frames.testing';
import { FakeGrants, memorySinks } from './testing/recording.testing';

const nats = natsForSpecFile();
const SETTINGS = MediaSessionSettings.fromPartial({ audioFormat: AudioFormat.AUDIO_FORMAT_PCM_16K, receiveUnmixedAudio: true });
/** 16 MiB: what the server allows, above gRPC's 4 MiB default. */
const LARGE_MESSAGES = { 'grpc.max_receive_message_length': 16 * 1024 * 1024, 'grpc.max_send_message_length': 16 * 1024 * 1024 };

describe('media sessions over real gRPC and NATS', () => {
  const logs = captureLogs();
  const names = natsNames(`ms-${process.pid}`);
  let nc: NatsConnection;
  let server: MediaServer;
  let onNats: MediaSessionsOnNats;
  let client: MediaServiceClient;
  let prompts: HttpServer;
  let promptBase = '';
  let callSeq = 0;
  let grants: FakeGrants;
  const nextCallId = () => `call-${process.pid}-${++callSeq}`;

  beforeAll(async () => {
    nc = await connect({ servers: nats.url });
    // A 48 kHz stereo WAV of 0.4 s: the pod resamples it to 16 kHz mono (20 frames).
    const stereo = new Int16Array(48 * 400 * 2).fill(3000);
    const wav = Buffer.from(writeWav({ sampleRate: 48_000, channels: 2, samples: stereo }));
    prompts = createServer((req, res) => {
      if (req.url === '/menu.wav') res.writeHead(200, { 'content-type': 'audio/wav' }).end(wav);
      else if (req.url === '/long.wav') res.writeHead(200).end(Buffer.from(writeWav({ sampleRate: 16_000, channels: 1, samples: new Int16Array(16 * 20_000).fill(100) })));
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => prompts.listen(0, '127.0.0.1', r));
    promptBase = `http://127.0.0.1:${(prompts.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((r) => prompts.close(r));
    await nc.close();
  });

  beforeEach(async () => {
    grants = new FakeGrants();
    server = await startMediaServer(
      { GRPC_HOST: '127.0.0.1', GRPC_PORT: 0, HTTP_HOST: '127.0.0.1', HTTP_PORT: 0, MAX_CALLS: 4, POD_NAME: 'media-0', DRAIN_GRACE_MS: 1000, PREPARED_CALL_TTL_MS: 60_000 },
      createLogger({ service: 'media', level: 'debug', destination: logs.stream }),
      { sessions: { publish: natsMediaEventPublisher(nc, names), loadPrompt: httpPromptLoader(), messages: { grants, openSink: memorySinks().open, recorder: 'media:media-0:record' } } },
    );
    onNats = connectSessionsToNats({ nc, names, sessions: server.sessions!, where: () => ({ podName: 'media-0', grpcTarget: server.grpcTarget }), logger: createLogger({ service: 'media', destination: logs.stream }) });
    client = new MediaServiceClient(`127.0.0.1:${server.grpcPort}`, credentials.createInsecure(), LARGE_MESSAGES);
  });

  afterEach(async () => {
    client.close();
    await server.drainAndStop();
    await onNats.stop();
  });

  const waitFor = async (predicate: () => boolean, what = 'condition') => {
    for (let i = 0; i < 500 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
    if (!predicate()) throw new Error(`timed out waiting for ${what}`);
  };

  /** Follows one call's events on NATS. */
  function follow(callId: string): { events: MediaSessionEvent[]; sub: Subscription } {
    const events: MediaSessionEvent[] = [];
    const sub = nc.subscribe(names.mediaCallEventSubjects(callId), { callback: (_e, m) => events.push(parseMediaSessionEvent(m.data)) });
    return { events, sub };
  }

  /** The media platform's side of a call: sends frames, keeps what the pod sends back. */
  async function platform(callId: string) {
    const stream: ClientDuplexStream<StreamCallRequest, StreamCallResponse> = client.streamCall();
    const received: StreamCallResponse[] = [];
    stream.on('data', (r: StreamCallResponse) => received.push(r));
    const ended = new Promise<number>((resolve) => {
      stream.on('error', (e: ServiceError) => resolve(e.code));
      stream.on('status', (s) => s.code === status.OK && resolve(s.code));
    });
    stream.write({ open: { callId, settings: SETTINGS } });
    await waitFor(() => received.length > 0, 'opened');
    let n = 0;
    const send = (requests: StreamCallRequest[]) => requests.forEach((r) => stream.write(r));
    const sendAudio = (samples: Int16Array) => send(framesOf(samples).map((f) => audioFrame(f, n++)));
    return { stream, received, ended, send, sendAudio, nextFrame: () => n++ };
  }

  const request = async (subject: string, body: unknown) => JSON.parse(new TextDecoder().decode((await nc.request(subject, JSON.stringify(body), { timeout: 2000 })).data));

  it('plays a prompt asked for over NATS, paced with timestamps, and lets a key pressed in the audio barge in', async () => {
    const callId = nextCallId();
    const { events, sub } = follow(callId);
    const call = await platform(callId);
    await waitFor(() => events.some((e) => e.type === 'session-started'), 'session-started');
    expect(events[0]).toMatchObject({ type: 'session-started', callId, podName: 'media-0', grpcTarget: server.grpcTarget });

    expect(await request(names.mediaCommandSubject(callId, 'play'), { id: 'menu', uri: `${promptBase}/menu.wav` })).toEqual({ ok: true, id: 'menu', queued: 0 });
    await waitFor(() => events.some((e) => e.type === 'prompt-completed'), 'menu completed');
    const menu = call.received.flatMap((r) => (r.audio?.promptId === 'menu' ? [r.audio] : []));
    expect(menu.length).toBe(20);
    expect(menu.every((f) => f.data.length === 640 && pcm16View(f.data)[100] === 3000)).toBe(true);
    expect(menu.slice(1).every((f, i) => f.timestampTicks === menu[i].timestampTicks + 200_000n)).toBe(true);

    await request(names.mediaCommandSubject(callId, 'play'), { id: 'long', uri: `${promptBase}/long.wav`, bargeIn: { keys: true } });
    await waitFor(() => call.received.some((r) => r.audio?.promptId === 'long'), 'long prompt frames');
    call.sendAudio(dtmfSequence('7', { toneMs: 100, gapMs: 100 }));
    await waitFor(() => events.filter((e) => e.type === 'prompt-completed').length === 2, 'barge-in');
    expect(events.filter((e) => e.type === 'dtmf').map((e) => e.type === 'dtmf' && [e.digit, e.source])).toEqual([['7', 'audio']]);
    expect(events.filter((e) => e.type === 'prompt-completed').map((e) => e.type === 'prompt-completed' && [e.id, e.reason])).toEqual([
      ['menu', 'completed'],
      ['long', 'barged-in'],
    ]);
    const longFrames = call.received.filter((r) => r.audio?.promptId === 'long').length;
    expect(longFrames).toBeLessThan(1000);

    call.stream.end();
    expect(await call.ended).toBe(status.OK);
    await waitFor(() => events.some((e) => e.type === 'session-ended'), 'session-ended');
    sub.unsubscribe();
  });

  it('answers locate and cancel, refuses a bad command without acting, and has no responder for a call not here', async () => {
    const callId = nextCallId();
    const call = await platform(callId);
    await waitFor(() => server.sessions!.get(callId) !== undefined);
    await new Promise((r) => setTimeout(r, 50));
    expect(await request(names.mediaCommandSubject(callId, 'locate'), {})).toEqual({ ok: true, podName: 'media-0', grpcTarget: server.grpcTarget });
    const bad = await request(names.mediaCommandSubject(callId, 'play'), { id: 'x', uri: 'ftp://nope/x.wav' });
    expect(bad).toMatchObject({ ok: false, error: 'invalid' });
    expect(bad.message).toContain('uri');
    expect(await request(names.mediaCommandSubject(callId, 'cancel'), {})).toEqual({ ok: true, cancelled: [] });
    await request(names.mediaCommandSubject(callId, 'play'), { id: 'long', uri: `${promptBase}/long.wav` });
    expect(await request(names.mediaCommandSubject(callId, 'play'), { id: 'long', uri: `${promptBase}/long.wav` })).toMatchObject({ ok: false, error: 'duplicate' });
    expect(await request(names.mediaCommandSubject(callId, 'cancel'), { id: 'long' })).toEqual({ ok: true, cancelled: ['long'] });
    await expect(request(names.mediaCommandSubject('call-nowhere', 'locate'), {})).rejects.toThrow(/503|no responders/i);
    call.stream.end();
    await call.ended;
  });

  it('answers record, refuses a second one while it runs, and cancels it with its id', async () => {
    const callId = nextCallId();
    const { events, sub } = follow(callId);
    const call = await platform(callId);
    await waitFor(() => server.sessions!.get(callId) !== undefined);
    await new Promise((r) => setTimeout(r, 50));
    grants.hold = true;
    expect(await request(names.mediaCommandSubject(callId, 'record'), { id: 'msg-1', maxDurationSeconds: 10 })).toEqual({ ok: true, id: 'msg-1' });
    expect(await request(names.mediaCommandSubject(callId, 'record'), { id: 'msg-2', maxDurationSeconds: 10 })).toMatchObject({ ok: false, error: 'busy' });
    expect(await request(names.mediaCommandSubject(callId, 'record'), { id: 'msg-3', maxDurationSeconds: 0 })).toMatchObject({ ok: false, error: 'invalid' });
    expect(await request(names.mediaCommandSubject(callId, 'cancel'), { id: 'msg-1' })).toEqual({ ok: true, cancelled: ['msg-1'] });
    await waitFor(() => events.some((e) => e.type === 'record-completed'), 'record-completed');
    expect(events.filter((e) => e.type === 'record-completed')).toMatchObject([{ id: 'msg-1', reason: 'cancelled' }]);
    sub.unsubscribe();
    call.stream.end();
    await call.ended;
  });

  it('names speakers by the roster signaling publishes, in speech events and in the audio a bot receives', async () => {
    const callId = nextCallId();
    const { events, sub } = follow(callId);
    const call = await platform(callId);
    await waitFor(() => server.sessions!.get(callId) !== undefined);
    nc.publish(
      names.eventSubject('participants-updated'),
      JSON.stringify({ eventId: 'e1', callId, occurredAt: new Date().toISOString(), type: 'participants-updated', participants: [{ id: 'p-ana', displayName: 'Ana', muted: false, inLobby: false, sharingScreen: false, sourceIds: [11] }], joined: ['p-ana'], left: [] }),
    );
    // A malformed roster is ignored and changes nothing.
    nc.publish(names.eventSubject('participants-updated'), JSON.stringify({ type: 'participants-updated', callId, participants: [{ sourceIds: ['x'] }] }));
    await nc.flush();
    await waitFor(() => server.sessions!.get(callId)!.directory.speaker(11).participantId === 'p-ana', 'roster applied');

    const bot = client.attachCall();
    const toBot: AttachCallResponse[] = [];
    bot.on('data', (r: AttachCallResponse) => toBot.push(r));
    bot.on('error', () => undefined);
    bot.write({ attach: { callId, mixedAudio: true, speakerAudio: true } });
    await waitFor(() => toBot.length > 0, 'attached');
    expect(toBot[0]).toEqual({ attached: { callId, podName: 'media-0' } });

    const voice = new Int16Array(16 * 1200);
    new SpeechLikeSource(5, { levelDbfs: -18 }).fill(voice);
    call.send(framesOf(voice).map((f) => unmixedFrame(new Map([[11, f]]), call.nextFrame())));
    await waitFor(() => events.some((e) => e.type === 'speech-started' && e.stream === 'speaker'), 'speaker speech');
    expect(events.find((e) => e.type === 'speech-started' && e.stream === 'speaker')).toMatchObject({ speaker: { msi: 11, participantId: 'p-ana', displayName: 'Ana' } });
    await waitFor(() => toBot.filter((r) => r.speakerAudio).length === 60, 'speaker audio to the bot');
    expect(toBot.find((r) => r.speakerAudio)?.speakerAudio).toMatchObject({ speakerMsi: 11, participantId: 'p-ana', displayName: 'Ana' });
    // The mix the pod made from the buffers goes to the bot too.
    expect(toBot.filter((r) => r.mixedAudio).length).toBe(60);
    call.stream.end();
    await call.ended;
    sub.unsubscribe();
  });

  it('plays the audio a bot sends into the call, delivers selected video above 4 MiB, and ends the bot stream with the call', async () => {
    const callId = nextCallId();
    const call = await platform(callId);
    await waitFor(() => server.sessions!.get(callId) !== undefined);
    server.sessions!.get(callId)!.participantsUpdated([{ id: 'p-cam', sourceIds: [40] }]);
    const bot: ClientDuplexStream<AttachCallRequest, AttachCallResponse> = client.attachCall();
    const toBot: AttachCallResponse[] = [];
    bot.on('data', (r: AttachCallResponse) => toBot.push(r));
    const botEnded = new Promise<number>((resolve) => {
      bot.on('error', (e: ServiceError) => resolve(e.code));
      bot.on('status', (s) => s.code === status.OK && resolve(s.code));
    });
    bot.write({ attach: { callId, mixedAudio: false, speakerAudio: false } });
    await waitFor(() => toBot.length === 1, 'attached');
    for (let v = 1; v <= 10; v++) bot.write({ audio: { data: bytesOf(new Int16Array(FRAME_SAMPLES).fill(v)), timestampTicks: 0n, promptId: '' } });
    bot.write({ audio: { data: Buffer.alloc(100), timestampTicks: 0n, promptId: '' } });
    await waitFor(() => call.received.filter((r) => r.audio).length === 10, 'bot audio at the platform');
    expect(call.received.flatMap((r) => (r.audio ? [pcm16View(r.audio.data)[0]] : []))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await waitFor(() => toBot.some((r) => r.error), 'size error');
    expect(toBot.find((r) => r.error)?.error?.message).toBe('audio 12 has 100 bytes, expected 640; skipped');

    const big = Buffer.alloc(5 * 1024 * 1024, 9);
    const video = (msi: number) => ({ video: { msi, format: VideoFormat.VIDEO_FORMAT_NV12, width: 2560, height: 1366, data: big, timestampTicks: 1n, kind: MediaKind.MEDIA_KIND_VIDEO } });
    bot.write({ video: { participantId: 'p-cam', msi: 0, screenSharing: false, subscribe: true } });
    bot.write({ video: { participantId: '', msi: 0, screenSharing: true, subscribe: true } });
    await new Promise((r) => setTimeout(r, 100));
    call.send([video(40), video(41), { video: { ...video(50).video, kind: MediaKind.MEDIA_KIND_SCREEN_SHARING } }]);
    await waitFor(() => toBot.filter((r) => r.video || r.screenSharing).length === 2, 'video to the bot');
    const frames = toBot.filter((r) => r.video || r.screenSharing);
    expect(frames.map((r) => [r.video?.msi, r.screenSharing?.msi, (r.video ?? r.screenSharing)?.data.length])).toEqual([
      [40, undefined, big.length],
      [undefined, 50, big.length],
    ]);

    call.stream.end();
    expect(await call.ended).toBe(status.OK);
    expect(await botEnded).toBe(status.OK);
  });

  it('serves a bot through libs/media-client: commands, the call events until it ends, and its frames', async () => {
    const callId = nextCallId();
    const bot = new MediaClient({ nc, namespace: names.namespace, resolveTarget: (target, pod) => (pod === 'media-0' ? `127.0.0.1:${server.grpcPort}` : target) });
    await expect(bot.locate(callId)).rejects.toMatchObject({ code: 'no-session' });
    const call = await platform(callId);
    await waitFor(() => server.sessions!.get(callId) !== undefined);
    await new Promise((r) => setTimeout(r, 50));
    expect(await bot.locate(callId)).toEqual({ ok: true, podName: 'media-0', grpcTarget: server.grpcTarget });
    const refused = await bot.play(callId, { id: 'p', uri: 'ftp://x/y.wav' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MediaCommandError);
    expect(refused).toMatchObject({ code: 'invalid' });
    expect(await bot.play(callId, { id: 'long', uri: `${promptBase}/long.wav` })).toEqual({ ok: true, id: 'long', queued: 0 });

    const events = bot.events(callId);
    const frames = await bot.attach(callId, { mixedAudio: true });
    const heard: number[] = [];
    const reading = (async () => {
      for await (const f of frames) if (f.kind === 'mixed') heard.push(f.atMs);
    })();
    call.sendAudio(dtmfSequence('3', { toneMs: 100, gapMs: 100 }));
    const seen: string[] = [];
    const following = (async () => {
      for await (const e of events) seen.push(e.type === 'dtmf' ? `dtmf ${e.digit}` : e.type);
    })();
    await waitFor(() => seen.includes('dtmf 3') && heard.length === 15, 'key and frames at the bot');
    expect(heard).toEqual(Array.from({ length: 15 }, (_, n) => n * 20));
    expect(await bot.cancel(callId)).toEqual(['long']);
    call.stream.end();
    await Promise.all([reading, following, frames.ended]);
    expect(seen.slice(-2)).toEqual(['prompt-completed', 'session-ended']);
    bot.close();
  });

  it('refuses AttachCall for a call that is not on the pod, or without attach first', async () => {
    const attach = async (first: AttachCallRequest) => {
      const bot = client.attachCall();
      bot.on('data', () => undefined);
      const code = new Promise<ServiceError>((resolve) => bot.on('error', resolve));
      bot.write(first);
      return code;
    };
    const unknown = await attach({ attach: { callId: 'call-elsewhere', mixedAudio: true, speakerAudio: false } });
    expect([unknown.code, unknown.details]).toEqual([status.NOT_FOUND, 'call call-elsewhere has no media session on pod media-0']);
    const noAttach = await attach({ audio: { data: Buffer.alloc(640), timestampTicks: 0n, promptId: '' } });
    expect([noAttach.code, noAttach.details]).toEqual([status.INVALID_ARGUMENT, 'first message must attach to a call']);
  });
});
