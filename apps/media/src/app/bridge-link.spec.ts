import { ClientDuplexStream, credentials, ServiceError, status } from '@grpc/grpc-js';
import {
  AudioFormat,
  ConnectBridgeRequest,
  ConnectBridgeResponse,
  MediaKind,
  MediaServiceClient,
  MediaSessionSettings,
  UpdateVideoSubscription,
  VideoFormat,
} from '@switchboard/media-proto';
import { captureLogs, createLogger } from '@switchboard/service-kit';
import { MediaServer, startMediaServer } from './media-server';

type BridgeStream = ClientDuplexStream<ConnectBridgeRequest, ConnectBridgeResponse>;

const SETTINGS = MediaSessionSettings.fromPartial({ audioFormat: AudioFormat.AUDIO_FORMAT_PCM_16K });

describe('ConnectBridge: PrepareCall through the pod media bridge', () => {
  const logs = captureLogs();
  let server: MediaServer;
  let client: MediaServiceClient;
  let bridges: BridgeStream[] = [];

  beforeEach(async () => {
    server = await startMediaServer(
      { GRPC_HOST: '127.0.0.1', GRPC_PORT: 0, HTTP_HOST: '127.0.0.1', HTTP_PORT: 0, MAX_CALLS: 2, POD_NAME: 'media-0', DRAIN_GRACE_MS: 0, PREPARED_CALL_TTL_MS: 60_000 },
      createLogger({ service: 'media', level: 'debug', destination: logs.stream }),
    );
    client = new MediaServiceClient(`127.0.0.1:${server.grpcPort}`, credentials.createInsecure());
  });

  afterEach(async () => {
    for (const b of bridges) b.cancel();
    bridges = [];
    client.close();
    await server.drainAndStop();
  });

  const waitFor = async (predicate: () => boolean) => {
    for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(predicate()).toBe(true);
  };

  /** A bridge that says hello, answers each create_session with `answer` and each subscription change with `update`. */
  async function connectBridge(
    answer: (callId: string) => ConnectBridgeRequest | undefined,
    update: (change: UpdateVideoSubscription) => string | undefined = () => undefined,
  ): Promise<BridgeStream> {
    const bridge = client.connectBridge();
    bridge.on('error', () => undefined);
    bridge.on('data', (command: ConnectBridgeResponse) => {
      const change = command.updateVideoSubscription;
      const error = change ? update(change) : undefined;
      const reply = command.createSession
        ? answer(command.createSession.callId)
        : change && error !== undefined
          ? { videoSubscriptionUpdated: { callId: change.callId, requestId: change.requestId, error } }
          : undefined;
      if (reply) bridge.write(reply);
    });
    bridge.write({ hello: { podName: 'media-0', platformHealthy: true } });
    bridges.push(bridge);
    await waitFor(() => server.bridge.platformHealthy);
    return bridge;
  }

  const prepare = (callId: string) =>
    new Promise<{ blob?: string; err?: ServiceError }>((resolve) =>
      client.prepareCall({ callId, tenantId: 't', settings: SETTINGS }, (err, res) => resolve(err ? { err } : { blob: res.mediaConfigurationBlob })),
    );

  it('answers PrepareCall with the blob of the session the bridge created', async () => {
    await connectBridge((callId) => ({ sessionCreated: { callId, mediaConfigurationBlob: `blob-of-${callId}` } }));
    expect(await prepare('call-a')).toEqual({ blob: 'blob-of-call-a' });
    expect(server.calls.load().activeCalls).toBe(1);
  });

  it('fails PrepareCall with UNAVAILABLE and frees the slot when the bridge cannot create the session', async () => {
    await connectBridge((callId) => ({ sessionFailed: { callId, message: 'no sockets left' } }));
    const { err } = await prepare('call-b');
    expect([err?.code, err?.details]).toEqual([status.UNAVAILABLE, 'pod media-0: no sockets left']);
    expect(server.calls.load().activeCalls).toBe(0);
  });

  it('fails the pending PrepareCall when the bridge goes away', async () => {
    const bridge = await connectBridge(() => undefined);
    const pending = prepare('call-c');
    await waitFor(() => server.calls.load().activeCalls === 1);
    bridge.cancel();
    const { err } = await pending;
    expect([err?.code, err?.details]).toEqual([status.UNAVAILABLE, 'pod media-0: the media bridge disconnected']);
    expect(server.bridge.connected).toBe(false);
  });

  it('refuses a bridge whose first message is not hello', async () => {
    const bridge = client.connectBridge();
    const ended = new Promise<ServiceError>((resolve) => bridge.on('error', resolve));
    bridge.on('data', () => undefined);
    bridge.write({ sessionCreated: { callId: 'x', mediaConfigurationBlob: 'y' } });
    expect((await ended).code).toBe(status.INVALID_ARGUMENT);
    expect(server.bridge.connected).toBe(false);
  });

  describe('video subscriptions', () => {
    it('forwards subscribe and unsubscribe to the bridge and resolves or rejects with its answer', async () => {
      const seen: UpdateVideoSubscription[] = [];
      await connectBridge(
        () => undefined,
        (change) => {
          seen.push(change);
          return change.subscribe?.msi === 404 ? 'every video socket of the call is in use (1); unsubscribe one first' : '';
        },
      );
      const subscribe = { msi: 12, format: VideoFormat.VIDEO_FORMAT_NV12, maxWidth: 640, maxHeight: 360 };

      await expect(server.bridge.updateVideoSubscription('call-v', { subscribe })).resolves.toBeUndefined();
      await expect(server.bridge.updateVideoSubscription('call-v', { unsubscribeMsi: 7 }, MediaKind.MEDIA_KIND_SCREEN_SHARING)).resolves.toBeUndefined();
      await expect(server.bridge.updateVideoSubscription('call-v', { subscribe: { ...subscribe, msi: 404 } })).rejects.toThrow(
        'every video socket of the call is in use (1); unsubscribe one first',
      );

      expect(seen.map((c) => [c.callId, c.kind, c.subscribe?.msi, c.unsubscribeMsi])).toEqual([
        ['call-v', MediaKind.MEDIA_KIND_VIDEO, 12, undefined],
        ['call-v', MediaKind.MEDIA_KIND_SCREEN_SHARING, undefined, 7],
        ['call-v', MediaKind.MEDIA_KIND_VIDEO, 404, undefined],
      ]);
      expect(seen[0].subscribe).toEqual(subscribe);
      expect(new Set(seen.map((c) => c.requestId)).size).toBe(3);
    });

    it('rejects without a bridge, and fails a pending change when the bridge goes away', async () => {
      await expect(server.bridge.updateVideoSubscription('call-w', { unsubscribeMsi: 1 })).rejects.toThrow('no media bridge is connected');
      let asked = false;
      const bridge = await connectBridge(
        () => undefined,
        () => {
          asked = true;
          return undefined;
        },
      );
      const pending = server.bridge.updateVideoSubscription('call-w', { unsubscribeMsi: 1 });
      await waitFor(() => asked);
      bridge.cancel();
      await expect(pending).rejects.toThrow('the media bridge disconnected');
    });
  });
});
