import { Global, Module } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import { JetStreamPipeline } from '@switchboard/jetstream';
import { natsNames, type NatsNames } from '@switchboard/nats-contracts';
import { APP_CONFIG, JETSTREAM, JETSTREAM_MANAGER, NATS_CONNECTION } from '@switchboard/service-kit';
import { CallStateStore } from '../orchestration/call-state-store';
import type { SignalingConfig } from '../config';
import { NATS_NAMES, TOPOLOGY_READY } from '../tokens';
import { defaultTopology, ensureTopology } from './topology';

/**
 * Names of the streams, consumer and bucket, a provider that resolves once they exist, the call-state store, and the
 * one JetStream pipeline of the replica (the webhook's publications and the store's reads and writes).
 */
@Global()
@Module({
  providers: [
    { provide: NATS_NAMES, useFactory: (config: SignalingConfig) => natsNames(config.NATS_NAMESPACE), inject: [APP_CONFIG] },
    {
      provide: TOPOLOGY_READY,
      useFactory: async (jsm: JetStreamManager, names: NatsNames, config: SignalingConfig) => {
        await ensureTopology(jsm, names, { ...defaultTopology, ackWaitMs: config.ACK_WAIT_MS });
        return true;
      },
      inject: [JETSTREAM_MANAGER, NATS_NAMES, APP_CONFIG],
    },
    { provide: JetStreamPipeline, useFactory: (nc: NatsConnection) => new JetStreamPipeline(nc), inject: [NATS_CONNECTION] },
    {
      provide: CallStateStore,
      useFactory: async (js: JetStreamClient, pipeline: JetStreamPipeline, names: NatsNames) =>
        new CallStateStore(await js.views.kv(names.callStateBucket, { history: 1, ttl: defaultTopology.callStateTtlMs }), names.callStateBucket, pipeline),
      inject: [JETSTREAM, JetStreamPipeline, NATS_NAMES, TOPOLOGY_READY],
    },
  ],
  exports: [NATS_NAMES, TOPOLOGY_READY, CallStateStore, JetStreamPipeline],
})
export class JetStreamModule {}
