import { BeforeApplicationShutdown, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { JetStreamClient, NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { NatsNames } from '@switchboard/nats-contracts';
import { APP_CONFIG, JETSTREAM, LOGGER, NATS_CONNECTION } from '@switchboard/service-kit';
import type { SignalingConfig } from '../config';
import { defaultTopology } from '../jetstream/topology';
import { JetStreamInputScheduler } from '../orchestration/jetstream-ports';
import { NATS_NAMES, TOPOLOGY_READY } from '../tokens';
import { MediaCallDirectory } from '@switchboard/jetstream';
import { MediaEventRelay } from './media-event-relay';
import { NatsMediaSessions } from './nats-media-sessions';

/** Deliveries of a media event before it is dead-lettered (relaying is one KV read and one publish). */
const MEDIA_EVENT_MAX_DELIVER = 10;

/**
 * Flows on app-hosted calls: their media verbs go to the call's session on its pod (`NatsMediaSessions`), and the
 * pod's events come back to the call as inputs (`MediaEventRelay`), found by media call id (`MediaCallDirectory`).
 */
@Module({
  providers: [
    {
      provide: MediaCallDirectory,
      useFactory: async (js: JetStreamClient, names: NatsNames) =>
        new MediaCallDirectory(await js.views.kv(names.mediaCallsBucket, { history: 1, ttl: defaultTopology.callStateTtlMs })),
      inject: [JETSTREAM, NATS_NAMES],
    },
    {
      provide: NatsMediaSessions,
      useFactory: (nc: NatsConnection, names: NatsNames, config: SignalingConfig) => new NatsMediaSessions(nc, names, config.MEDIA_COMMAND_TIMEOUT_MS),
      inject: [NATS_CONNECTION, NATS_NAMES, APP_CONFIG],
    },
    {
      provide: MediaEventRelay,
      useFactory: (js: JetStreamClient, names: NatsNames, calls: MediaCallDirectory, logger: Logger) => {
        const log = logger.child({ component: 'media-sessions' });
        return new MediaEventRelay(js, names, calls, new JetStreamInputScheduler(js, names), {
          maxDeliver: MEDIA_EVENT_MAX_DELIVER,
          log: (level, msg, fields) => log[level](fields, msg),
        });
      },
      inject: [JETSTREAM, NATS_NAMES, MediaCallDirectory, LOGGER, TOPOLOGY_READY],
    },
  ],
  exports: [MediaCallDirectory, NatsMediaSessions],
})
export class MediaSessionsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(MediaEventRelay) private readonly relay: MediaEventRelay) {}

  onApplicationBootstrap(): Promise<void> {
    return this.relay.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.relay.stop();
  }
}
