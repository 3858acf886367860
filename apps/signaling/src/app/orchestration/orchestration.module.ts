import { BeforeApplicationShutdown, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { JetStreamClient } from 'nats';
import type { Logger } from 'pino';
import { GraphError, graphClientConfigFromEnv, type GraphClient } from '@switchboard/graph-client';
import type { NatsNames } from '@switchboard/nats-contracts';
import type { Registry } from 'prom-client';
import { APP_CONFIG, JETSTREAM, LOGGER, METRICS_REGISTRY } from '@switchboard/service-kit';
import type { SignalingConfig } from '../config';
import { FlowCatalog } from '../flows/flow-catalog';
import { HttpFlowWebhookClient } from '../flows/flow-webhook-client';
import { ObjectStoreRecordings } from '../recordings/object-store-recordings';
import { RecordingTokenSeal } from '../recordings/recording-token-seal';
import { GRAPH_CLIENT, NATS_NAMES, TOPOLOGY_READY } from '../tokens';
import { CallInputConsumer, notificationSource, SCHEDULED_INPUT_MAX_DELIVER, scheduledInputSource } from './call-input-consumer';
import { CallOrchestrator } from './call-orchestrator';
import { CallStateStore } from './call-state-store';
import { EffectExecutor } from './effect-executor';
import { JetStreamEventPublisher, JetStreamInputScheduler } from './jetstream-ports';
import { KeyedSerializer } from './keyed-serializer';
import { MediaPlacementModule } from '../media-placement/media-placement.module';
import { MediaPlacer } from '../media-placement/media-placer';
import { prometheusObserver, type OrchestrationObserver } from './orchestration.metrics';
import type { FailureKind } from './ports';

/** Graph refused the request (4xx other than 408/429): retrying the same request cannot succeed. */
export function classifyGraphFailure(error: unknown): FailureKind {
  if (!(error instanceof GraphError) || error.status < 400 || error.status >= 500 || error.status === 408 || error.status === 429) return 'transient';
  return error.status === 404 ? 'gone' : 'permanent';
}

const logTo = (logger: Logger) => (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) =>
  logger[level](fields, msg);

const CONSUMERS = Symbol('CONSUMERS');
const OBSERVER = Symbol('OBSERVER');

@Module({
  imports: [MediaPlacementModule],
  providers: [
    { provide: OBSERVER, useFactory: (registry: Registry) => prometheusObserver(registry), inject: [METRICS_REGISTRY] },
    {
      provide: CallOrchestrator,
      useFactory: async (
        store: CallStateStore,
        graph: GraphClient,
        js: JetStreamClient,
        names: NatsNames,
        config: SignalingConfig,
        logger: Logger,
        flows: FlowCatalog,
        observer: OrchestrationObserver,
        media: MediaPlacer,
      ) => {
        const recordings = new ObjectStoreRecordings(await js.views.os(names.recordingsBucket), names.recordingsBucket);
        const { credential } = graphClientConfigFromEnv(config);
        const recordingTokens = RecordingTokenSeal.fromCredential('clientSecret' in credential ? credential.clientSecret : credential.certificate.privateKeyPem, config.BOT_APP_ID);
        const executor = new EffectExecutor(
          {
            graph: graph.calls,
            events: new JetStreamEventPublisher(js, names),
            inputs: new JetStreamInputScheduler(js, names),
            webhooks: new HttpFlowWebhookClient(config.FLOW_WEBHOOK_SECRET),
            recordings,
            recordingTokens,
            media,
          },
          { callbackUri: config.PUBLIC_CALLBACK_URL },
        );
        return new CallOrchestrator(store, executor, classifyGraphFailure, {
          replicaId: config.REPLICA_ID,
          keepAliveIntervalMs: config.KEEPALIVE_INTERVAL_MS,
          flows,
          recordingTokens,
          claimLeaseMs: config.CLAIM_LEASE_MS,
          maxEffectAttempts: 5,
          log: logTo(logger),
          observer,
        });
      },
      inject: [CallStateStore, GRAPH_CLIENT, JETSTREAM, NATS_NAMES, APP_CONFIG, LOGGER, FlowCatalog, OBSERVER, MediaPlacer],
    },
    {
      provide: CONSUMERS,
      useFactory: (js: JetStreamClient, names: NatsNames, orchestrator: CallOrchestrator, config: SignalingConfig, logger: Logger, observer: OrchestrationObserver) => {
        const serializer = new KeyedSerializer();
        const settings = { concurrency: config.CONSUMER_CONCURRENCY, log: logTo(logger), observer };
        return [
          new CallInputConsumer(js, names, notificationSource(names), orchestrator, serializer, { ...settings, maxDeliver: config.MAX_DELIVER }),
          new CallInputConsumer(js, names, scheduledInputSource(names), orchestrator, serializer, { ...settings, maxDeliver: SCHEDULED_INPUT_MAX_DELIVER }),
        ];
      },
      inject: [JETSTREAM, NATS_NAMES, CallOrchestrator, APP_CONFIG, LOGGER, OBSERVER, TOPOLOGY_READY],
    },
  ],
})
export class OrchestrationModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(CONSUMERS) private readonly consumers: CallInputConsumer[]) {}

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.start()));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
  }
}
