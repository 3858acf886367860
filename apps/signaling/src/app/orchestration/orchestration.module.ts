import { Inject, Module, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import type { JetStreamClient } from 'nats';
import type { Logger } from 'pino';
import { GraphError, type GraphClient } from '@switchboard/graph-client';
import type { CallEvent, NatsNames } from '@switchboard/nats-contracts';
import { APP_CONFIG, JETSTREAM, LOGGER } from '@switchboard/service-kit';
import type { SignalingConfig } from '../config';
import { GRAPH_CLIENT, NATS_NAMES, TOPOLOGY_READY } from '../tokens';
import { CallOrchestrator } from './call-orchestrator';
import { CallStateStore } from './call-state-store';
import { EffectExecutor } from './effect-executor';
import { NotificationConsumer } from './notification-consumer';
import type { EventPublisher, FailureKind } from './ports';

/** Graph refused the request (4xx other than 429): retrying the same request cannot succeed. */
export const classifyGraphFailure = (error: unknown): FailureKind =>
  error instanceof GraphError && error.status >= 400 && error.status < 500 && error.status !== 429 ? 'permanent' : 'transient';

const logTo = (logger: Logger) => (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) =>
  logger[level](fields, msg);

@Module({
  providers: [
    {
      provide: CallStateStore,
      useFactory: async (js: JetStreamClient, names: NatsNames) =>
        new CallStateStore(await js.views.kv(names.callStateBucket, { history: 1, ttl: 48 * 3600_000 })),
      inject: [JETSTREAM, NATS_NAMES, TOPOLOGY_READY],
    },
    {
      provide: CallOrchestrator,
      useFactory: (store: CallStateStore, graph: GraphClient, js: JetStreamClient, names: NatsNames, config: SignalingConfig, logger: Logger) => {
        const events: EventPublisher = {
          publish: async (event: CallEvent) => {
            await js.publish(names.eventSubject(event.type), JSON.stringify(event), { msgID: event.eventId });
          },
        };
        const executor = new EffectExecutor(graph.calls, events, { callbackUri: config.PUBLIC_CALLBACK_URL, welcomePromptUri: config.PROMPT_URI });
        return new CallOrchestrator(store, executor, classifyGraphFailure, {
          replicaId: config.REPLICA_ID,
          welcomePromptUri: config.PROMPT_URI,
          claimLeaseMs: config.CLAIM_LEASE_MS,
          maxEffectAttempts: 5,
          log: logTo(logger),
        });
      },
      inject: [CallStateStore, GRAPH_CLIENT, JETSTREAM, NATS_NAMES, APP_CONFIG, LOGGER],
    },
    {
      provide: NotificationConsumer,
      useFactory: (js: JetStreamClient, names: NatsNames, orchestrator: CallOrchestrator, config: SignalingConfig, logger: Logger) =>
        new NotificationConsumer(js, names, orchestrator, {
          maxDeliver: config.MAX_DELIVER,
          concurrency: config.CONSUMER_CONCURRENCY,
          log: logTo(logger),
        }),
      inject: [JETSTREAM, NATS_NAMES, CallOrchestrator, APP_CONFIG, LOGGER, TOPOLOGY_READY],
    },
  ],
})
export class OrchestrationModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(NotificationConsumer) private readonly consumer: NotificationConsumer) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
