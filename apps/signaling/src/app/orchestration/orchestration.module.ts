import { BeforeApplicationShutdown, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { JetStreamClient, NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { GraphError, graphClientConfigFromEnv, type GraphClient } from '@switchboard/graph-client';
import { JetStreamPipeline } from '@switchboard/jetstream';
import type { NatsNames } from '@switchboard/nats-contracts';
import type { Registry } from 'prom-client';
import { APP_CONFIG, HealthRegistry, JETSTREAM, LOGGER, METRICS_REGISTRY, NATS_CONNECTION } from '@switchboard/service-kit';
import type { SignalingConfig } from '../config';
import { FlowCatalog } from '../flows/flow-catalog';
import { HttpFlowWebhookClient } from '../flows/flow-webhook-client';
import { classifyGrantFailure } from '../recordings/compliance-grants';
import { signalingRecordings } from '../recordings/recordings-factory';
import { RecordingTokenSeal } from '../recordings/recording-token-seal';
import { GRAPH_CLIENT, NATS_NAMES, TOPOLOGY_READY } from '../tokens';
import { AdmissionControl } from './admission-control';
import { CallInputConsumer, notificationSource, SCHEDULED_INPUT_MAX_DELIVER, scheduledInputSource, type ReplicaLoad } from './call-input-consumer';
import { CallOrchestrator } from './call-orchestrator';
import { CallStateStore } from './call-state-store';
import { EffectExecutor } from './effect-executor';
import { JetStreamEventPublisher, JetStreamInputScheduler } from './jetstream-ports';
import { KeyedSerializer } from './keyed-serializer';
import { MediaPlacementModule } from '../media-placement/media-placement.module';
import { MediaPlacer } from '../media-placement/media-placer';
import { prometheusObserver, registerLoadMetrics, type OrchestrationObserver } from './orchestration.metrics';
import { PriorityGate } from './priority-gate';
import { MediaCommandRefused, type FailureKind } from './ports';
import { MediaSessionsModule } from '../media-sessions/media-sessions.module';
import { NatsMediaSessions } from '../media-sessions/nats-media-sessions';

/**
 * Graph refused the request (4xx other than 408/429), recording-compliance refused a grant, or the media pod refused a
 * flow's command or hosts no session for the call: retrying the same request cannot succeed.
 */
export function classifyEffectFailure(error: unknown): FailureKind {
  if (error instanceof MediaCommandRefused) return 'permanent';
  const grantFailure = classifyGrantFailure(error);
  if (grantFailure) return grantFailure;
  if (!(error instanceof GraphError) || error.status < 400 || error.status >= 500 || error.status === 408 || error.status === 429) return 'transient';
  return error.status === 404 ? 'gone' : 'permanent';
}

const logTo = (logger: Logger) => (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) =>
  logger[level](fields, msg);

const CONSUMERS = Symbol('CONSUMERS');
const OBSERVER = Symbol('OBSERVER');
const REPLICA_LOAD = Symbol('REPLICA_LOAD');

@Module({
  imports: [MediaPlacementModule, MediaSessionsModule],
  providers: [
    { provide: OBSERVER, useFactory: (registry: Registry) => prometheusObserver(registry), inject: [METRICS_REGISTRY] },
    {
      provide: REPLICA_LOAD,
      useFactory: (config: SignalingConfig, registry: Registry, health: HealthRegistry): ReplicaLoad => {
        const load = {
          serializer: new KeyedSerializer(),
          gate: new PriorityGate(config.CONSUMER_CONCURRENCY),
          admission: new AdmissionControl({ maxInputDelayMs: config.ADMISSION_MAX_INPUT_DELAY_MS }),
        };
        registerLoadMetrics(registry, load.gate, load.admission);
        // Not ready while refusing new calls: what an autoscaler watches to add a replica.
        health.register('call-capacity', async () => {
          const share = load.admission.admittedShare();
          if (share < 1) {
            throw new Error(
              `over capacity: notifications wait up to ${load.admission.inputDelayMs()} ms before they are applied; ` +
                `${Math.round(share * 100)}% of new calls are taken, the others refused (busy)`,
            );
          }
        });
        return load;
      },
      inject: [APP_CONFIG, METRICS_REGISTRY, HealthRegistry],
    },
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
        load: ReplicaLoad,
        mediaSessions: NatsMediaSessions,
        nc: NatsConnection,
        pipeline: JetStreamPipeline,
      ) => {
        const { grants, recordings } = signalingRecordings(nc, config);
        const { credential } = graphClientConfigFromEnv(config);
        const recordingTokens = RecordingTokenSeal.fromCredential('clientSecret' in credential ? credential.clientSecret : credential.certificate.privateKeyPem, config.BOT_APP_ID);
        const executor = new EffectExecutor(
          {
            graph: graph.calls,
            events: new JetStreamEventPublisher(pipeline, names),
            inputs: new JetStreamInputScheduler(pipeline, names),
            webhooks: new HttpFlowWebhookClient(config.FLOW_WEBHOOK_SECRET),
            recordings,
            grants,
            recordingTokens,
            media,
            mediaSessions,
          },
          { callbackUri: config.PUBLIC_CALLBACK_URL },
        );
        return new CallOrchestrator(store, executor, classifyEffectFailure, {
          replicaId: config.REPLICA_ID,
          keepAliveIntervalMs: config.KEEPALIVE_INTERVAL_MS,
          grantRenewalIntervalMs: config.RECORDING_GRANT_RENEWAL_MS,
          flows,
          recordingTokens,
          claimLeaseMs: config.CLAIM_LEASE_MS,
          maxEffectAttempts: 5,
          log: logTo(logger),
          observer,
          admission: load.admission,
        });
      },
      inject: [CallStateStore, GRAPH_CLIENT, JETSTREAM, NATS_NAMES, APP_CONFIG, LOGGER, FlowCatalog, OBSERVER, MediaPlacer, REPLICA_LOAD, NatsMediaSessions, NATS_CONNECTION, JetStreamPipeline],
    },
    {
      provide: CONSUMERS,
      useFactory: (
        js: JetStreamClient,
        names: NatsNames,
        orchestrator: CallOrchestrator,
        config: SignalingConfig,
        logger: Logger,
        observer: OrchestrationObserver,
        load: ReplicaLoad,
        store: CallStateStore,
        pipeline: JetStreamPipeline,
      ) => {
        if (!config.APPLY_CALL_INPUTS) {
          logger.info('APPLY_CALL_INPUTS is false: this replica stores notifications and applies none; replicas with it true apply them');
          return [];
        }
        const settings = { prefetch: config.CONSUMER_PREFETCH, log: logTo(logger), observer };
        const notifications = notificationSource(names, { placements: store, notifications: pipeline });
        return [
          new CallInputConsumer(js, names, notifications, orchestrator, load, { ...settings, maxDeliver: config.MAX_DELIVER }),
          new CallInputConsumer(js, names, scheduledInputSource(names), orchestrator, load, { ...settings, maxDeliver: SCHEDULED_INPUT_MAX_DELIVER }),
        ];
      },
      inject: [JETSTREAM, NATS_NAMES, CallOrchestrator, APP_CONFIG, LOGGER, OBSERVER, REPLICA_LOAD, CallStateStore, JetStreamPipeline, TOPOLOGY_READY],
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
