import { BeforeApplicationShutdown, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { JetStreamClient, KV } from 'nats';
import type { Logger } from 'pino';
import { DEFAULT_MEDIA_HEARTBEAT_INTERVAL_MS, MEDIA_HEARTBEAT_TTL_INTERVALS, type NatsNames } from '@switchboard/nats-contracts';
import { APP_CONFIG, JETSTREAM, LOGGER } from '@switchboard/service-kit';
import type { SignalingConfig } from '../config';
import { CallStateStore } from '../orchestration/call-state-store';
import { JetStreamInputScheduler } from '../orchestration/jetstream-ports';
import { NATS_NAMES } from '../tokens';
import { endCallsOnPod } from './end-calls-on-pod';
import { GrpcMediaPods } from './media-pod-client';
import { KvMediaPodDirectory } from './media-pod-directory';
import { MediaPodWatcher } from './media-pod-watcher';
import { MediaPlacer } from './media-placer';

const MEDIA_PODS_KV = Symbol('MEDIA_PODS_KV');
const logTo = (logger: Logger) => (level: 'info' | 'warn', msg: string, fields: Record<string, unknown>) => logger[level](fields, msg);

/**
 * App-hosted media: places calls on the media pods (the `media_pods` heartbeats, PrepareCall over gRPC) and ends
 * the calls of a pod that stops.
 */
@Module({
  providers: [
    {
      provide: MEDIA_PODS_KV,
      // The pods create the bucket with their interval; opened with the default one when signaling comes first.
      useFactory: (js: JetStreamClient, names: NatsNames) =>
        js.views.kv(names.mediaPodsBucket, { history: 1, ttl: DEFAULT_MEDIA_HEARTBEAT_INTERVAL_MS * MEDIA_HEARTBEAT_TTL_INTERVALS }),
      inject: [JETSTREAM, NATS_NAMES],
    },
    { provide: GrpcMediaPods, useFactory: () => new GrpcMediaPods() },
    {
      provide: MediaPlacer,
      useFactory: (kv: KV, pods: GrpcMediaPods, config: SignalingConfig, logger: Logger) => {
        const log = logTo(logger.child({ component: 'media-placement' }));
        const directory = new KvMediaPodDirectory(kv, (pod, problem) => log('warn', 'media pod heartbeat unreadable; pod skipped', { pod, problem }));
        return new MediaPlacer(directory, pods, { prepareTimeoutMs: config.MEDIA_PREPARE_TIMEOUT_MS, ...(config.MEDIA_POD_HOST ? { podHost: config.MEDIA_POD_HOST } : {}), log });
      },
      inject: [MEDIA_PODS_KV, GrpcMediaPods, APP_CONFIG, LOGGER],
    },
    {
      provide: MediaPodWatcher,
      useFactory: (kv: KV, js: JetStreamClient, names: NatsNames, calls: CallStateStore, config: SignalingConfig, logger: Logger) => {
        const log = logTo(logger.child({ component: 'media-placement' }));
        const inputs = new JetStreamInputScheduler(js, names);
        return new MediaPodWatcher(kv, {
          checkIntervalMs: config.MEDIA_POD_CHECK_INTERVAL_MS,
          onLost: async (pod, reason) => {
            const ended = await endCallsOnPod(calls, inputs, pod, reason);
            log('info', 'calls of a lost media pod told to end', { pod, calls: ended });
          },
          log,
        });
      },
      inject: [MEDIA_PODS_KV, JETSTREAM, NATS_NAMES, CallStateStore, APP_CONFIG, LOGGER],
    },
  ],
  exports: [MediaPlacer],
})
export class MediaPlacementModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(MediaPodWatcher) private readonly watcher: MediaPodWatcher,
    @Inject(GrpcMediaPods) private readonly pods: GrpcMediaPods,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.watcher.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.watcher.stop();
    this.pods.close();
  }
}
