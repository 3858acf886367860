import { BeforeApplicationShutdown, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { JetStreamClient, NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { GraphClient } from '@switchboard/graph-client';
import type { NatsNames } from '@switchboard/nats-contracts';
import { APP_CONFIG, JETSTREAM, LOGGER, NATS_CONNECTION } from '@switchboard/service-kit';
import type { SignalingConfig } from '../config';
import { FlowCatalog } from '../flows/flow-catalog';
import { MediaPlacementModule } from '../media-placement/media-placement.module';
import { MediaPlacer } from '../media-placement/media-placer';
import { MediaCallDirectory } from '@switchboard/jetstream';
import { MediaSessionsModule } from '../media-sessions/media-sessions.module';
import { CallStateStore } from '../orchestration/call-state-store';
import { JetStreamInputScheduler } from '../orchestration/jetstream-ports';
import { GRAPH_CLIENT, NATS_NAMES } from '../tokens';
import { ApiAuthenticator } from '@switchboard/api-auth';
import { CallCommandResponder } from './call-command-responder';
import { CallControlApi } from './call-control-api';
import { CallControlController } from './call-control.controller';
import { CallControlService } from './call-control.service';
import { IDEMPOTENCY_TTL_MS, IdempotencyStore } from './idempotency-store';

/**
 * The call-control API: REST under /v1/calls (bearer JWT with roles) and NATS request/reply commands, both
 * carried out by one {@link CallControlApi}.
 */
@Module({
  imports: [MediaPlacementModule, MediaSessionsModule],
  controllers: [CallControlController],
  providers: [
    {
      provide: CallControlApi,
      useFactory: async (
        js: JetStreamClient,
        names: NatsNames,
        config: SignalingConfig,
        graph: GraphClient,
        flows: FlowCatalog,
        logger: Logger,
        records: CallStateStore,
        placer: MediaPlacer,
        mediaCalls: MediaCallDirectory,
      ) => {
        const idempotency = new IdempotencyStore(await js.views.kv(names.apiIdempotencyBucket, { history: 1, ttl: IDEMPOTENCY_TTL_MS }));
        const service = new CallControlService({
          records,
          graph: graph.calls,
          flows,
          settings: { callbackUri: config.PUBLIC_CALLBACK_URL, tenantId: config.BOT_TENANT_ID },
          inputs: new JetStreamInputScheduler(js, names),
          media: { placer, calls: mediaCalls },
        });
        const authenticator = config.API_AUTH_OIDC_URL
          ? new ApiAuthenticator({ openIdConfigurationUrl: config.API_AUTH_OIDC_URL, audience: config.API_AUTH_AUDIENCE })
          : undefined;
        if (!authenticator) logger.warn('the call-control REST API answers 503: API_AUTH_OIDC_URL is not set');
        return new CallControlApi(service, idempotency, logger.child({ component: 'call-control' }), authenticator);
      },
      inject: [JETSTREAM, NATS_NAMES, APP_CONFIG, GRAPH_CLIENT, FlowCatalog, LOGGER, CallStateStore, MediaPlacer, MediaCallDirectory],
    },
    {
      provide: CallCommandResponder,
      useFactory: (nc: NatsConnection, names: NatsNames, api: CallControlApi, logger: Logger) =>
        new CallCommandResponder(nc, names, api, logger.child({ component: 'call-control' })),
      inject: [NATS_CONNECTION, NATS_NAMES, CallControlApi, LOGGER],
    },
  ],
})
export class CallControlModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(CallCommandResponder) private readonly responder: CallCommandResponder) {}

  onApplicationBootstrap(): void {
    this.responder.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.responder.stop();
  }
}
