import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { credentials } from '@grpc/grpc-js';
import {
  AudioFormat,
  DtmfTone,
  MediaKind,
  MediaServiceClient,
  MediaSessionSettings,
  StreamCallRequest,
  StreamCallResponse,
  StreamDirection,
  VideoFormat,
} from '@switchboard/media-proto';
import { captureLogs, createLogger } from '@switchboard/service-kit';
import { CallMediaHandler } from '../src/app/call-media-handler';
import { MediaServer, startMediaServer } from '../src/app/media-server';

/** Built by `nx run media-bridge:build` (this target depends on it). */
const BRIDGE_DLL = join(__dirname, '../../../dist/apps/media-bridge/bin/MediaBridge/Release/net10.0/MediaBridge.dll');
const AUDIO_FRAMES = 50;

interface FakeSessionReport {
  callId: string;
  disposed: boolean;
  audioFramesPlayed: number;
  videoFramesPlayed: number;
  undisposedBuffers: number;
  audioFramesSent: number;
  firstByteOfSentAudio: number[];
  videoFramesSent: number;
  screenSharingFramesSent: number;
  tonesSent: string[];
  subscriptionChanges: string[];
}

/**
 * A TypeScript handler that echoes audio and video back and answers each tone with a DTMF event;
 * a test can add answers of its own with `also`.
 */
class EchoHandler implements CallMediaHandler {
  readonly received = new Map<string, StreamCallRequest[]>();
  readonly ended: string[] = [];
  also: (callId: string, request: StreamCallRequest) => StreamCallResponse[] = () => [];

  onRequest(callId: string, request: StreamCallRequest): StreamCallResponse[] {
    const seen = this.received.get(callId) ?? [];
    seen.push(request);
    this.received.set(callId, seen);
    const more = this.also(callId, request);
    if (more.length > 0) return more;
    if (request.audio) {
      const pcm = request.audio.unmixedBuffers[0]?.data ?? request.audio.data;
      return [{ audio: { data: pcm, timestampTicks: request.audio.timestampTicks, promptId: '' } }];
    }
    if (request.video) return [{ video: request.video }];
    if (request.tone) return [{ event: { callId, timestampTicks: 0n, dtmf: { tone: request.tone.tone, durationMs: 0 } } }];
    return [];
  }

  onEnded(callId: string): void {
    this.ended.push(callId);
  }

  of(callId: string): StreamCallRequest[] {
    return this.received.get(callId) ?? [];
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('media bridge (.NET, fake media platform) against the TypeScript media service', () => {
  const logs = captureLogs();
  const handler = new EchoHandler();
  let server: MediaServer;
  let bridge: ChildProcess;
  let bridgeHttp: string;
  let client: MediaServiceClient;
  const bridgeLines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    if (!existsSync(BRIDGE_DLL)) throw new Error(`${BRIDGE_DLL} is missing: run nx run media-bridge:build`);
    server = await startMediaServer(
      {
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: 0,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: 0,
        MAX_CALLS: 4,
        POD_NAME: 'media-0',
        DRAIN_GRACE_MS: 100,
        PREPARED_CALL_TTL_MS: 60_000,
      },
      createLogger({ service: 'media', level: 'debug', destination: logs.stream }),
      { handler },
    );
    const httpPort = await freePort();
    bridgeHttp = `http://127.0.0.1:${httpPort}`;
    bridge = spawn('dotnet', [BRIDGE_DLL], {
      env: {
        ...process.env,
        MEDIA_PLATFORM: 'fake',
        MEDIA_GRPC_TARGET: `127.0.0.1:${server.grpcPort}`,
        MEDIA_BRIDGE_HTTP_PORT: String(httpPort),
        POD_NAME: 'media-0',
        FAKE_PLATFORM_AUDIO_FRAMES: String(AUDIO_FRAMES),
        DOTNET_NOLOGO: '1',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let rest = '';
    bridge.stdout?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) bridgeLines.push(JSON.parse(line) as Record<string, unknown>);
    });
    client = new MediaServiceClient(`127.0.0.1:${server.grpcPort}`, credentials.createInsecure());
    await until('the bridge to connect with a healthy platform', () => (server.bridge.platformHealthy ? true : undefined), 60_000);
  });

  afterAll(async () => {
    client?.close();
    if (bridge && bridge.exitCode === null) {
      const exited = new Promise((r) => bridge.once('exit', r));
      bridge.kill('SIGTERM');
      await exited;
    }
    await server?.drainAndStop();
  });

  const prepare = (callId: string, settings: Partial<MediaSessionSettings>) =>
    new Promise<string>((resolve, reject) =>
      client.prepareCall(
        { callId, tenantId: 't', settings: MediaSessionSettings.fromPartial({ audioFormat: AudioFormat.AUDIO_FORMAT_PCM_16K, ...settings }) },
        (err, res) => (err ? reject(err) : resolve(res.mediaConfigurationBlob)),
      ),
    );
  const fakeSession = async (callId: string): Promise<FakeSessionReport | undefined> => {
    const reports = (await (await fetch(`${bridgeHttp}/fake-platform/sessions`)).json()) as FakeSessionReport[];
    return reports.find((r) => r.callId === callId);
  };

  it('creates the media session in PrepareCall, streams frames and events in, sends the returned audio out and drops video the call only receives', async () => {
    const callId = 'bridge-call-1';
    const blob = await prepare(callId, {
      videoSubscriptions: [{ msi: 9, format: VideoFormat.VIDEO_FORMAT_NV12, maxWidth: 640, maxHeight: 360 }],
      receiveScreenSharing: true,
    });
    expect(JSON.parse(blob)).toEqual({ platform: 'fake', callId });

    // Into TypeScript: 50 audio frames in order, a video frame, the dominant speaker, a tone, a stream failure.
    await until('the platform events', () => (handler.of(callId).some((r) => r.streamFailure) ? true : undefined));
    const received = handler.of(callId);
    const audio = received.flatMap((r) => (r.audio ? [r.audio] : []));
    expect(audio).toHaveLength(AUDIO_FRAMES);
    expect(audio.map((a) => a.data[0])).toEqual(Array.from({ length: AUDIO_FRAMES }, (_, i) => i));
    expect(audio.map((a) => a.timestampTicks)).toEqual(Array.from({ length: AUDIO_FRAMES }, (_, i) => BigInt(i) * 200_000n));
    expect(audio.every((a) => a.data.length === 640 && a.activeSpeakerMsis.join() === '7')).toBe(true);
    const video = received.find((r) => r.video)?.video;
    expect(video).toMatchObject({ msi: 9, format: VideoFormat.VIDEO_FORMAT_NV12, width: 320, height: 180 });
    expect(video?.data).toHaveLength((320 * 180 * 3) / 2);
    expect(received.find((r) => r.dominantSpeakerChanged)?.dominantSpeakerChanged).toEqual({ speakerMsi: 7 });
    expect(received.find((r) => r.tone)?.tone).toEqual({ tone: DtmfTone.DTMF_TONE_POUND, sequenceId: 1 });
    expect(received.find((r) => r.streamFailure)?.streamFailure).toMatchObject({ kind: MediaKind.MEDIA_KIND_SCREEN_SHARING });

    // Back into the call: every echoed frame reached the platform, paced, in order; every received buffer was disposed.
    const report = await until('the echoed audio in the platform', async () => {
      const r = await fakeSession(callId);
      return r && r.audioFramesSent === AUDIO_FRAMES ? r : undefined;
    });
    expect(report.firstByteOfSentAudio).toEqual(Array.from({ length: AUDIO_FRAMES }, (_, i) => i));
    // The call's video only receives: the echoed frame is dropped (and counted), not sent.
    expect(report.videoFramesSent).toBe(0);
    expect(report.undisposedBuffers).toBe(0);
    expect(report.disposed).toBe(false);

    // The media service ends the session: the bridge releases the sockets and the stream ends.
    server.bridge.endSession(callId);
    await until('the sockets to be released', async () => ((await fakeSession(callId))?.disposed ? true : undefined));
    await until('the stream to end', () => (handler.ended.includes(callId) ? true : undefined));
    expect(server.calls.liveStreams).toBe(0);

    const lines = bridgeLines.filter((l) => l['callId'] === callId);
    expect(lines.map((l) => l['msg'])).toEqual(expect.arrayContaining(['media session created', 'media session ended by the media service']));
    expect(lines.every((l) => l['service'] === 'media-bridge' && typeof l['level'] === 'string')).toBe(true);
  });

  it('sends the returned video on the socket of its kind and DTMF, and changes whose video the call receives while it lives', async () => {
    const callId = 'bridge-call-4';
    const shared = { msi: 0, format: VideoFormat.VIDEO_FORMAT_NV12, width: 1280, height: 720, data: Buffer.alloc(64), timestampTicks: 0n };
    // Besides the echo: a tone is answered with the same tone sent back and a frame of screen sharing.
    handler.also = (id, request) =>
      id === callId && request.tone
        ? [{ sendDtmf: { tones: [request.tone.tone], delayBetweenTonesMs: 0 } }, { video: { ...shared, kind: MediaKind.MEDIA_KIND_SCREEN_SHARING } }]
        : [];
    await prepare(callId, {
      videoSubscriptions: [{ msi: 9, format: VideoFormat.VIDEO_FORMAT_NV12, maxWidth: 640, maxHeight: 360 }],
      videoReceiveSockets: 2,
      videoDirection: StreamDirection.STREAM_DIRECTION_SEND_RECEIVE,
      videoSendFormats: [{ format: VideoFormat.VIDEO_FORMAT_NV12, width: 320, height: 180, frameRate: 15 }],
      screenSharingDirection: StreamDirection.STREAM_DIRECTION_SEND_ONLY,
      screenSharingSendFormats: [{ format: VideoFormat.VIDEO_FORMAT_NV12, width: 1280, height: 720, frameRate: 15 }],
    });
    const videoOf = (msi: number) => handler.of(callId).find((r) => r.video?.msi === msi)?.video;
    await until('the first subscription\'s frame', () => videoOf(9));
    expect(videoOf(9)?.kind).toBe(MediaKind.MEDIA_KIND_VIDEO);

    // Subscribe the spare socket to participant 12: its frame reaches TypeScript, and is echoed into the call.
    await server.bridge.updateVideoSubscription(callId, { subscribe: { msi: 12, format: VideoFormat.VIDEO_FORMAT_UNSPECIFIED, maxWidth: 320, maxHeight: 180 } });
    expect(await until('the frame of participant 12', () => videoOf(12))).toMatchObject({ width: 320, height: 180 });
    await expect(server.bridge.updateVideoSubscription(callId, { subscribe: { msi: 13, format: VideoFormat.VIDEO_FORMAT_NV12, maxWidth: 0, maxHeight: 0 } })).rejects.toThrow(
      'every video socket of the call is in use (2); unsubscribe one first',
    );
    await server.bridge.updateVideoSubscription(callId, { unsubscribeMsi: 12 });
    await expect(server.bridge.updateVideoSubscription(callId, { unsubscribeMsi: 12 })).rejects.toThrow('msi 12 is not received on a video socket of the call');
    await expect(
      server.bridge.updateVideoSubscription(callId, { subscribe: { msi: 5, format: VideoFormat.VIDEO_FORMAT_NV12, maxWidth: 0, maxHeight: 0 } }, MediaKind.MEDIA_KIND_SCREEN_SHARING),
    ).rejects.toThrow('the call has no screen sharing socket that receives');
    await expect(server.bridge.updateVideoSubscription('no-such-call', { unsubscribeMsi: 1 })).rejects.toThrow('call no-such-call has no media session on this bridge');

    const report = await until('the video, screen sharing and tone sent into the call', async () => {
      const r = await fakeSession(callId);
      return r && r.videoFramesSent === 2 && r.screenSharingFramesSent === 1 && r.tonesSent.length === 1 ? r : undefined;
    });
    expect(report.tonesSent).toEqual(['Pound']);
    expect(report.subscriptionChanges).toEqual(['video socket 0: msi 9', 'video socket 1: msi 12', 'video socket 1: none']);

    const metrics = await (await fetch(`${bridgeHttp}/metrics`)).text();
    expect(metrics).toContain('media_bridge_frames_out_total{kind="screen_sharing"} 1');
    expect(metrics).toContain('media_bridge_frames_out_total{kind="dtmf"} 1');
    expect(metrics).toContain('media_bridge_video_subscription_updates_total{result="changed"} 2');
    expect(metrics).toContain('media_bridge_video_subscription_updates_total{result="refused"} 4');
    expect(metrics).toMatch(/media_bridge_frames_dropped_total\{direction="out",kind="video"\} [1-9]/);
    expect(metrics).toContain('media_bridge_link_up 1');
    expect(metrics).toContain('media_bridge_sessions 1');

    server.bridge.endSession(callId);
    await until('the sockets to be released', async () => ((await fakeSession(callId))?.disposed ? true : undefined));
    handler.also = () => [];
  });

  it('carries unmixed audio with speaker ids and original timestamps', async () => {
    const callId = 'bridge-call-2';
    await prepare(callId, { receiveUnmixedAudio: true });
    await until('the unmixed frames', () => (handler.of(callId).filter((r) => r.audio).length === AUDIO_FRAMES ? true : undefined));
    const frame = handler.of(callId).find((r) => r.audio && r.audio.timestampTicks === 400_000n)?.audio;
    expect(frame?.data).toHaveLength(0);
    expect(frame?.unmixedBuffers.map((b) => [b.speakerMsi, b.originalSenderTimestampTicks, b.data.length])).toEqual([
      [7, 399_000n, 640],
      [8, 398_000n, 640],
    ]);
    server.bridge.endSession(callId);
    await until('the sockets to be released', async () => ((await fakeSession(callId))?.disposed ? true : undefined));
  });

  it('refuses PrepareCall while a required bridge is not connected', async () => {
    const alone = await startMediaServer(
      { GRPC_HOST: '127.0.0.1', GRPC_PORT: 0, HTTP_HOST: '127.0.0.1', HTTP_PORT: 0, MAX_CALLS: 1, POD_NAME: 'media-1', DRAIN_GRACE_MS: 0, PREPARED_CALL_TTL_MS: 60_000, MEDIA_BRIDGE_REQUIRED: true },
      createLogger({ service: 'media', level: 'debug', destination: logs.stream }),
    );
    const lone = new MediaServiceClient(`127.0.0.1:${alone.grpcPort}`, credentials.createInsecure());
    try {
      const settings = MediaSessionSettings.fromPartial({ audioFormat: AudioFormat.AUDIO_FORMAT_PCM_16K });
      const err = await new Promise((resolve) => lone.prepareCall({ callId: 'lonely', tenantId: 't', settings }, (e) => resolve(e)));
      expect(err).toMatchObject({ code: 14, details: 'pod media-1: no media bridge is connected' });
      expect(alone.calls.load().activeCalls).toBe(0);
    } finally {
      lone.close();
      await alone.drainAndStop();
    }
  });

  it('refuses to start with a bad setting and names it', () => {
    const run = spawnSync('dotnet', [BRIDGE_DLL], {
      env: { ...process.env, MEDIA_APP_ID: 'not-a-guid', MEDIA_INSTANCE_PUBLIC_IP: '20.30.40.50', MEDIA_INSTANCE_PUBLIC_PORT: '28550' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    const line = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { level: string; problems: string[] };
    expect(line.level).toBe('fatal');
    expect(line.problems).toEqual(
      expect.arrayContaining([
        "MEDIA_APP_ID must be the bot's application id (a GUID), got 'not-a-guid'",
        "MEDIA_CERTIFICATE_THUMBPRINT must be the certificate's SHA-1 thumbprint (40 hex digits), got ''",
      ]),
    );
  });

  it('answers the pod preStop GET /drain once no call is left, and is not ready while draining', async () => {
    const callId = 'bridge-call-3';
    await prepare(callId, {});
    const drained = fetch(`${bridgeHttp}/drain`);
    let settled = false;
    void drained.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    expect((await fetch(`${bridgeHttp}/health/ready`)).status).toBe(503);
    // The media service side ends the stream (its drain closes live calls after the grace period).
    await server.drainAndStop();
    const answer = await drained;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ draining: true, activeCalls: 0 });
    expect((await fakeSession(callId))?.disposed).toBe(true);
  });
});
