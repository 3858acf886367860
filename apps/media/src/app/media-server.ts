import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthService } from '@switchboard/media-proto';
import type { Logger } from 'pino';
import { BridgeLink } from './bridge-link';
import { CallMediaHandler } from './call-media-handler';
import { CallRegistry } from './call-registry';
import { MediaConfig, SERVICE_NAME } from './config';
import { createGrpcHealth } from './grpc-health';
import { createHttpEndpoints } from './http-endpoints';
import { MediaMetrics } from './media-metrics';
import { createMediaService } from './media-service';
import { mediaServiceDefinition } from './media-service-definition';
import { SessionHub, type SessionHubOptions } from './session/session-hub';

/** Video frames can be large (1080p NV12 is about 3 MiB); gRPC's default cap is 4 MiB. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** How long a graceful gRPC shutdown may take after the drain before it is forced. */
const SHUTDOWN_TIMEOUT_MS = 5000;

export interface MediaServer {
  grpcPort: number;
  httpPort: number;
  calls: CallRegistry;
  metrics: MediaMetrics;
  bridge: BridgeLink;
  /** The media sessions, when the server runs them. */
  sessions?: SessionHub;
  /** Where the media platform and bots reach this pod (pod name and gRPC port). */
  grpcTarget: string;
  /** Stop taking calls (NOT_SERVING, PrepareCall refused); live streams continue. */
  startDrain(): void;
  /** Drain, wait for live streams to end (at most DRAIN_GRACE_MS), then close both servers. */
  drainAndStop(): Promise<void>;
}

type MediaServerConfig = Pick<
  MediaConfig,
  'GRPC_HOST' | 'GRPC_PORT' | 'HTTP_HOST' | 'HTTP_PORT' | 'MAX_CALLS' | 'POD_NAME' | 'DRAIN_GRACE_MS' | 'PREPARED_CALL_TTL_MS'
> &
  Partial<Pick<MediaConfig, 'MEDIA_BRIDGE_REQUIRED'>>;

export interface MediaServerOptions {
  /** Run a media session per call (events out through `publish`), serving AttachCall too. */
  sessions?: Omit<SessionHubOptions, 'podName' | 'grpcTarget' | 'metrics' | 'logger'>;
  /** What the pod does with each call's frames, instead of the sessions (default: the sessions, or only validate and count). */
  handler?: CallMediaHandler;
}

export async function startMediaServer(config: MediaServerConfig, logger: Logger, options: MediaServerOptions = {}): Promise<MediaServer> {
  const calls = new CallRegistry({
    podName: config.POD_NAME,
    maxCalls: config.MAX_CALLS,
    preparedCallTtlMs: config.PREPARED_CALL_TTL_MS,
  });
  const metrics = new MediaMetrics(SERVICE_NAME, calls);

  const grpcServer = new Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  // Services go in before binding so no request ever meets UNIMPLEMENTED; the stream target needs the bound port.
  const bridge = new BridgeLink(logger);
  calls.on('expired', (callId: string) => bridge.endSession(callId));
  const sessions: SessionHub | undefined = options.sessions
    ? new SessionHub({ ...options.sessions, podName: config.POD_NAME, grpcTarget: (): string => deps.streamTarget, metrics, logger })
    : undefined;
  const deps = { calls, metrics, logger, podName: config.POD_NAME, streamTarget: '', bridge, bridgeRequired: config.MEDIA_BRIDGE_REQUIRED, requirePrepared: config.MEDIA_BRIDGE_REQUIRED, handler: options.handler ?? sessions, sessions };
  grpcServer.addService(mediaServiceDefinition, createMediaService(deps));
  const grpcHealth = createGrpcHealth(calls);
  grpcServer.addService(HealthService, grpcHealth.server);
  const grpcPort = await bindGrpc(grpcServer, `${config.GRPC_HOST}:${config.GRPC_PORT}`);
  deps.streamTarget = `${config.POD_NAME}:${grpcPort}`;

  const startDrain = () => {
    if (calls.isDraining) return;
    calls.startDrain();
    logger.info({ liveStreams: calls.liveStreams }, 'draining: no new calls, waiting for live calls to end');
  };
  const httpServer = createHttpEndpoints({ calls, registry: metrics.registry, drain: startDrain });
  try {
    httpServer.listen(config.HTTP_PORT, config.HTTP_HOST);
    await once(httpServer, 'listening');
  } catch (err) {
    grpcServer.forceShutdown();
    throw err;
  }
  const httpPort = (httpServer.address() as AddressInfo).port;
  logger.info({ grpcPort, httpPort, podName: config.POD_NAME, maxCalls: config.MAX_CALLS }, 'listening');

  let stopping: Promise<void> | undefined;
  const drainAndStop = () => {
    stopping ??= (async () => {
      startDrain();
      const idle = await calls.waitUntilIdle(config.DRAIN_GRACE_MS);
      if (!idle) logger.warn({ liveStreams: calls.liveStreams, graceMs: config.DRAIN_GRACE_MS }, 'drain grace period over, closing live calls');
      grpcHealth.endWatches();
      bridge.close();
      await shutdownGrpc(grpcServer, idle ? SHUTDOWN_TIMEOUT_MS : 0);
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      logger.info('stopped');
    })();
    return stopping;
  };

  return { grpcPort, httpPort, calls, metrics, bridge, sessions, grpcTarget: deps.streamTarget, startDrain, drainAndStop };
}

function bindGrpc(server: Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (err, port) => {
      if (err) reject(new Error(`Cannot listen for gRPC on ${address}: ${err.message}`));
      else resolve(port);
    });
  });
}

function shutdownGrpc(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, timeoutMs);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}
