import { randomBytes } from 'node:crypto';
import { Client, credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { AudioFormat, MediaServiceClient, MediaServiceService, MediaSessionSettings, StreamCallRequest, StreamCallResponse, StreamErrorCode } from '@switchboard/media-proto';
import { captureLogs, createLogger } from '@switchboard/service-kit';
import { AUDIO_FRAME_BYTES } from './frame-validation';
import { MediaServer, startMediaServer } from './media-server';

const SETTINGS = MediaSessionSettings.fromPartial({ audioFormat: AudioFormat.AUDIO_FORMAT_PCM_16K });
const encode = (r: StreamCallRequest): Buffer => Buffer.from(StreamCallRequest.encode(r).finish());
const open = (callId: string) => encode({ open: { callId, settings: SETTINGS } });
const audio = (ticks: bigint) => encode({ audio: { data: Buffer.alloc(AUDIO_FRAME_BYTES), timestampTicks: ticks, isSilence: false, activeSpeakerMsis: [], unmixedBuffers: [] } });

/**
 * Frames a broken or hostile media platform could send, as raw bytes through a real grpc-js client: each gets a gRPC
 * error or is skipped and counted, and the service keeps serving.
 */
describe('bad frames on StreamCall', () => {
  const logs = captureLogs();
  let server: MediaServer;
  let raw: Client;
  let media: MediaServiceClient;
  let seq = 0;
  const callId = () => `bad-${process.pid}-${++seq}`;

  const start = async (bridgeRequired = false) => {
    server = await startMediaServer(
      { GRPC_HOST: '127.0.0.1', GRPC_PORT: 0, HTTP_HOST: '127.0.0.1', HTTP_PORT: 0, MAX_CALLS: 8, POD_NAME: 'media-0', DRAIN_GRACE_MS: 1000, PREPARED_CALL_TTL_MS: 60_000, MEDIA_BRIDGE_REQUIRED: bridgeRequired },
      createLogger({ service: 'media', level: 'debug', destination: logs.stream }),
    );
    // Allow sending more than the server takes, to reach its limit.
    raw = new Client(`127.0.0.1:${server.grpcPort}`, credentials.createInsecure(), { 'grpc.max_send_message_length': 64 * 1024 * 1024 });
    media = new MediaServiceClient(`127.0.0.1:${server.grpcPort}`, credentials.createInsecure());
  };
  beforeEach(() => start());
  afterEach(async () => {
    raw.close();
    media.close();
    await server.drainAndStop();
  });

  function streamRaw(messages: Buffer[], end = true) {
    const call = raw.makeBidiStreamRequest<Buffer, StreamCallResponse>(MediaServiceService.streamCall.path, (b) => b, (b) => StreamCallResponse.decode(b), new Metadata());
    const responses: StreamCallResponse[] = [];
    call.on('data', (r: StreamCallResponse) => responses.push(r));
    const result = new Promise<{ code: status; details: string; responses: StreamCallResponse[] }>((resolve) => {
      call.on('error', (e: ServiceError) => resolve({ code: e.code, details: e.details, responses }));
      call.on('status', (s) => s.code === status.OK && resolve({ code: s.code, details: s.details, responses }));
    });
    for (const m of messages) call.write(m);
    if (end) call.end();
    return result;
  }

  /** The service still takes a good call after whatever came before. */
  async function stillServes(): Promise<void> {
    const outcome = await streamRaw([open(callId()), audio(1n), audio(2n)]);
    expect(outcome.code).toBe(status.OK);
    const load = await new Promise<{ activeCalls: number }>((resolve, reject) => media.getLoad({}, (e, r) => (e ? reject(e) : resolve(r))));
    expect(load.activeCalls).toBe(0);
  }

  const metric = async (name: string) => (await server.metrics.registry.getSingleMetricAsString(name)).split('\n').filter((l) => !l.startsWith('#'));

  it('skips an audio frame stamped at or before the last one, says so on the stream and counts it', async () => {
    const outcome = await streamRaw([open(callId()), audio(400_000n), audio(600_000n), audio(600_000n), audio(200_000n), audio(800_000n), audio(0n)]);
    expect(outcome.code).toBe(status.OK);
    const errors = outcome.responses.flatMap((r) => (r.error ? [r.error] : []));
    expect(errors).toEqual([
      { code: StreamErrorCode.STREAM_ERROR_CODE_INVALID_FRAME, message: 'audio frame 4 is stamped 600000, not after 600000; skipped' },
      { code: StreamErrorCode.STREAM_ERROR_CODE_INVALID_FRAME, message: 'audio frame 5 is stamped 200000, not after 600000; skipped' },
    ]);
    expect(await metric('media_frames_rejected_total')).toEqual(['media_frames_rejected_total{reason="out-of-order",service="media"} 2']);
    expect(await metric('media_frames_received_total')).toEqual(['media_frames_received_total{kind="audio",service="media"} 4']);
    await stillServes();
  });

  it('answers RESOURCE_EXHAUSTED for a message above 16 MiB and keeps serving', async () => {
    const huge = encode({ video: { msi: 1, format: 1, width: 8000, height: 8000, data: Buffer.alloc(17 * 1024 * 1024), timestampTicks: 1n, kind: 0 } });
    const outcome = await streamRaw([open(callId()), huge], false);
    expect(outcome.code).toBe(status.RESOURCE_EXHAUSTED);
    await stillServes();
  });

  it('answers INVALID_ARGUMENT for corrupt protobuf after the open, and for random bytes at any point', async () => {
    const corrupt = Buffer.concat([audio(1n).subarray(0, 20), Buffer.from([0xff, 0xff, 0xff])]);
    const midStream = await streamRaw([open(callId()), audio(1n), corrupt], false);
    expect(midStream.code).toBe(status.INVALID_ARGUMENT);
    expect(midStream.details).toMatch(/^message 3 could not be decoded: /);
    for (let i = 0; i < 20; i++) {
      const first = await streamRaw([randomBytes(1 + ((i * 97) % 700))], false);
      // Random bytes may happen to decode as an empty or odd message; either way the stream is refused.
      expect(first.code).toBe(status.INVALID_ARGUMENT);
      const later = await streamRaw([open(callId()), randomBytes(640), randomBytes(64)], false);
      expect(later.code).toBe(status.INVALID_ARGUMENT);
    }
    expect(server.calls.liveStreams).toBe(0);
    await stillServes();
  });

  it('answers INVALID_ARGUMENT for a stream that sends frames without opening a call', async () => {
    const outcome = await streamRaw([audio(1n), audio(2n)]);
    expect([outcome.code, outcome.details]).toEqual([status.INVALID_ARGUMENT, 'first message must open the call, got an audio frame']);
    const empty = await streamRaw([Buffer.alloc(0)]);
    expect([empty.code, empty.details]).toEqual([status.INVALID_ARGUMENT, 'first message must open the call, got no payload']);
    await stillServes();
  });

  it('answers NOT_FOUND for a call the pod never prepared when a bridge prepares every call', async () => {
    await server.drainAndStop();
    raw.close();
    media.close();
    await start(true);
    const outcome = await streamRaw([open('call-unknown'), audio(1n)], false);
    expect([outcome.code, outcome.details]).toEqual([status.NOT_FOUND, 'call call-unknown was not prepared on pod media-0']);
    expect(await metric('media_call_streams_total')).toEqual(['media_call_streams_total{outcome="refused",service="media"} 1']);
  });
});
