import { Client, credentials, Metadata, ServiceError, status } from '@grpc/grpc-js';
import {
  AudioFormat,
  HealthCheckResponse_ServingStatus as ServingStatus,
  HealthClient,
  MediaKind,
  MediaServiceClient,
  MediaServiceService,
  MediaSessionSettings,
  StreamCallRequest,
  StreamCallResponse,
  VideoFormat,
} from '@switchboard/media-proto';
import { captureLogs, createLogger } from '@switchboard/service-kit';
import { AUDIO_FRAME_BYTES } from './frame-validation';
import { MediaServer, startMediaServer } from './media-server';

const SETTINGS = MediaSessionSettings.fromPartial({ audioFormat: AudioFormat.AUDIO_FORMAT_PCM_16K });
const STREAM_PATH = MediaServiceService.streamCall.path;

const open = (callId: string): StreamCallRequest => ({ open: { callId, settings: SETTINGS } });
const audio = (n: number, bytes = AUDIO_FRAME_BYTES): StreamCallRequest => ({
  audio: { data: Buffer.alloc(bytes, n % 256), timestampTicks: BigInt(n) * 200_000n, isSilence: false, activeSpeakerMsis: [7], unmixedBuffers: [] },
});
const encode = (request: StreamCallRequest): Buffer => Buffer.from(StreamCallRequest.encode(request).finish());

interface StreamResult {
  responses: StreamCallResponse[];
  code: status;
  details: string;
}

describe('media server', () => {
  let server: MediaServer;
  let media: MediaServiceClient;
  let health: HealthClient;
  let raw: Client;
  const logs = captureLogs();
  let callSeq = 0;
  const nextCallId = () => `call-${process.pid}-${++callSeq}`;
  const startServer = (overrides: { DRAIN_GRACE_MS?: number }) =>
    startMediaServer(
      {
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: 0,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: 0,
        MAX_CALLS: 3,
        POD_NAME: 'media-0',
        DRAIN_GRACE_MS: 5000,
        PREPARED_CALL_TTL_MS: 60_000,
        ...overrides,
      },
      createLogger({ service: 'media', level: 'debug', destination: logs.stream }),
    );

  beforeEach(async () => {
    server = await startServer({});
    const address = `127.0.0.1:${server.grpcPort}`;
    media = new MediaServiceClient(address, credentials.createInsecure());
    health = new HealthClient(address, credentials.createInsecure());
    raw = new Client(address, credentials.createInsecure());
  });

  afterEach(async () => {
    media.close();
    health.close();
    raw.close();
    await server.drainAndStop();
  });

  /** Opens StreamCall with raw bytes, so tests can also send what a broken client would. */
  function streamRaw(messages: Buffer[], options: { end?: boolean } = {}) {
    const call = raw.makeBidiStreamRequest<Buffer, StreamCallResponse>(
      STREAM_PATH,
      (b) => b,
      (b) => StreamCallResponse.decode(b),
      new Metadata(),
    );
    const responses: StreamCallResponse[] = [];
    call.on('data', (r: StreamCallResponse) => responses.push(r));
    const result = new Promise<StreamResult>((resolve) => {
      call.on('error', (err: ServiceError) => resolve({ responses, code: err.code, details: err.details }));
      call.on('status', (s) => {
        if (s.code === status.OK) resolve({ responses, code: s.code, details: s.details });
      });
    });
    for (const m of messages) call.write(m);
    if (options.end !== false) call.end();
    return { call, responses, result };
  }

  const prepare = (callId: string) =>
    new Promise<{ podName: string; mediaConfigurationBlob: string }>((resolve, reject) =>
      media.prepareCall({ callId, tenantId: 't', settings: SETTINGS }, (err, res) => (err ? reject(err) : resolve(res))),
    );
  const checkHealth = () =>
    new Promise<ServingStatus>((resolve, reject) =>
      health.check({ service: '' }, (err, res) => (err ? reject(err) : resolve(res.status))),
    );
  const http = (method: string, path: string) => fetch(`http://127.0.0.1:${server.httpPort}${path}`, { method });
  const waitFor = async (predicate: () => boolean) => {
    for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(predicate()).toBe(true);
  };

  it('reports SERVING on the gRPC health service and NOT_FOUND for an unknown service', async () => {
    expect(await checkHealth()).toBe(ServingStatus.SERVING);
    const err = await new Promise<ServiceError | null>((resolve) => health.check({ service: 'nope' }, (e) => resolve(e)));
    expect(err?.code).toBe(status.NOT_FOUND);
  });

  it('streams health changes to watchers and lets the server stop promptly', async () => {
    const watch = health.watch({ service: '' });
    const seen: ServingStatus[] = [];
    watch.on('data', (r: { status: ServingStatus }) => seen.push(r.status));
    watch.on('error', () => undefined);
    await waitFor(() => seen.length === 1);
    server.startDrain();
    await waitFor(() => seen.length === 2);
    expect(seen).toEqual([ServingStatus.SERVING, ServingStatus.NOT_SERVING]);
    const started = Date.now();
    await server.drainAndStop();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('prepares a call, reports it in GetLoad and refuses a duplicate or bad settings', async () => {
    const callId = nextCallId();
    const prepared = await prepare(callId);
    expect(prepared.podName).toBe('media-0');
    expect(JSON.parse(prepared.mediaConfigurationBlob)).toMatchObject({ podName: 'media-0', callId, streamTarget: `media-0:${server.grpcPort}` });

    const load = await new Promise((resolve, reject) => media.getLoad({}, (e, r) => (e ? reject(e) : resolve(r))));
    expect(load).toEqual({ podName: 'media-0', activeCalls: 1, maxCalls: 3, draining: false });

    await expect(prepare(callId)).rejects.toMatchObject({ code: status.ALREADY_EXISTS });
    const badSettings = await new Promise<ServiceError | null>((resolve) =>
      media.prepareCall({ callId: nextCallId(), tenantId: 't', settings: { ...SETTINGS, audioFormat: AudioFormat.AUDIO_FORMAT_UNSPECIFIED } }, (e) =>
        resolve(e),
      ),
    );
    expect(badSettings?.code).toBe(status.INVALID_ARGUMENT);
    expect(badSettings?.details).toContain('audio_format must be AUDIO_FORMAT_PCM_16K');
    expect(server.calls.load().activeCalls).toBe(1);
  });

  it('refuses PrepareCall with FAILED_PRECONDITION at capacity', async () => {
    for (let i = 0; i < 3; i++) await prepare(nextCallId());
    await expect(prepare(nextCallId())).rejects.toMatchObject({
      code: status.FAILED_PRECONDITION,
      details: 'pod media-0 is at capacity (3/3 calls)',
    });
  });

  it('accepts a stream of valid frames, answers opened, counts frames and ends cleanly', async () => {
    const callId = nextCallId();
    await prepare(callId);
    const frames = Array.from({ length: 50 }, (_, i) => encode(audio(i)));
    const video = encode({
      video: { msi: 9, format: VideoFormat.VIDEO_FORMAT_NV12, width: 4, height: 2, data: Buffer.alloc(12), timestampTicks: 1n, kind: MediaKind.MEDIA_KIND_VIDEO },
    });
    const { result } = streamRaw([encode(open(callId)), ...frames, video]);
    const outcome = await result;
    expect(outcome.code).toBe(status.OK);
    expect(outcome.responses).toEqual([{ opened: { callId, podName: 'media-0' } }]);
    const metrics = await server.metrics.registry.metrics();
    expect(metrics).toContain('media_frames_received_total{kind="audio",service="media"} 50');
    expect(metrics).toContain('media_frames_received_total{kind="video",service="media"} 1');
    expect(metrics).toContain('media_call_frames_sum{service="media"} 51');
    expect(server.calls.load().activeCalls).toBe(0);
    expect(logs.lines().filter((l) => l['callId'] === callId).map((l) => l['msg'])).toEqual([
      'call prepared',
      'media stream opened',
      'media stream ended',
    ]);
  });

  it('answers INVALID_ARGUMENT for a corrupt first frame', async () => {
    const { result } = streamRaw([Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])]);
    const outcome = await result;
    expect(outcome.code).toBe(status.INVALID_ARGUMENT);
    expect(outcome.details).toMatch(/^first message could not be decoded: /);
    expect(server.calls.load().activeCalls).toBe(0);
  });

  it('answers INVALID_ARGUMENT when the first frame does not open the call', async () => {
    const outcome = await streamRaw([encode(audio(1))]).result;
    expect([outcome.code, outcome.details]).toEqual([status.INVALID_ARGUMENT, 'first message must open the call, got an audio frame']);
  });

  it('answers INVALID_ARGUMENT for a wrong-size audio frame and frees the call', async () => {
    const callId = nextCallId();
    const outcome = await streamRaw([encode(open(callId)), encode(audio(1)), encode(audio(2, 320))], { end: false }).result;
    expect(outcome.code).toBe(status.INVALID_ARGUMENT);
    expect(outcome.details).toBe('audio frame 3 has 320 bytes, expected 640 (20 ms PCM 16 kHz 16-bit mono)');
    expect(server.calls.liveStreams).toBe(0);
  });

  it('accepts unmixed frames without mixed audio, as the platform sends them, and still refuses empty ones', async () => {
    const callId = nextCallId();
    const unmixed = (n: number): StreamCallRequest => ({
      audio: {
        data: Buffer.alloc(0),
        timestampTicks: BigInt(n) * 200_000n,
        isSilence: false,
        activeSpeakerMsis: [7],
        unmixedBuffers: [{ speakerMsi: 7, data: Buffer.alloc(AUDIO_FRAME_BYTES), originalSenderTimestampTicks: 1n }],
      },
    });
    const ok = await streamRaw([encode(open(callId)), encode(unmixed(1)), encode(unmixed(2))]).result;
    expect(ok.code).toBe(status.OK);
    const empty = await streamRaw([encode(open(nextCallId())), encode(audio(1, 0))], { end: false }).result;
    expect([empty.code, empty.details]).toEqual([status.INVALID_ARGUMENT, 'audio frame 2 has 0 bytes, expected 640 (20 ms PCM 16 kHz 16-bit mono)']);
  });

  it('frees the call when the client cancels', async () => {
    const callId = nextCallId();
    const { call, responses } = streamRaw([encode(open(callId))], { end: false });
    await waitFor(() => responses.length === 1);
    expect(server.calls.liveStreams).toBe(1);
    call.on('error', () => undefined);
    call.cancel();
    await waitFor(() => server.calls.liveStreams === 0);
  });

  it('drains: NOT_SERVING, refuses new calls, lets the live call finish, then reports zero calls', async () => {
    const live = nextCallId();
    const prepared = nextCallId();
    await prepare(prepared);
    const liveStream = streamRaw([encode(open(live))], { end: false });
    await waitFor(() => liveStream.responses.length === 1);

    const drained = await http('POST', '/drain');
    expect(drained.status).toBe(202);
    expect(await checkHealth()).toBe(ServingStatus.NOT_SERVING);
    expect((await http('GET', '/health/ready')).status).toBe(503);
    expect(await (await http('GET', '/health/calls')).json()).toEqual({ activeCalls: 1, draining: true });

    await expect(prepare(nextCallId())).rejects.toMatchObject({
      code: status.FAILED_PRECONDITION,
      details: 'pod media-0 is draining and takes no new calls',
    });
    const refused = await streamRaw([encode(open(nextCallId()))]).result;
    expect([refused.code, refused.details]).toEqual([status.FAILED_PRECONDITION, 'pod media-0 is draining and takes no new calls']);

    // The live call keeps streaming during the drain.
    liveStream.call.write(encode(audio(1)));
    liveStream.call.end();
    expect((await liveStream.result).code).toBe(status.OK);
    expect(await (await http('GET', '/health/calls')).json()).toEqual({ activeCalls: 0, draining: true });
    await server.drainAndStop();
  });

  it('closes calls still live when the drain grace period is over', async () => {
    await server.drainAndStop();
    server = await startServer({ DRAIN_GRACE_MS: 100 });
    raw.close();
    raw = new Client(`127.0.0.1:${server.grpcPort}`, credentials.createInsecure());
    const stuck = streamRaw([encode(open(nextCallId()))], { end: false });
    await waitFor(() => stuck.responses.length === 1);
    await server.drainAndStop();
    expect((await stuck.result).code).not.toBe(status.OK);
    expect(logs.lines().some((l) => l['msg'] === 'drain grace period over, closing live calls' && l['liveStreams'] === 1)).toBe(true);
  });

  it('serves liveness, metrics and 404/405 on the HTTP port', async () => {
    expect(await (await http('GET', '/health/live')).json()).toEqual({ status: 'ok' });
    expect(await (await http('GET', '/metrics')).text()).toContain('media_active_calls{service="media"} 0');
    expect((await http('GET', '/nope')).status).toBe(404);
    expect((await http('GET', '/drain')).status).toBe(405);
  });
});
