import { Global, Module } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager } from 'nats';
import { natsNames, type NatsNames } from '@switchboard/nats-contracts';
import { APP_CONFIG, JETSTREAM, JETSTREAM_MANAGER } from '@switchboard/service-kit';
import { CallStateStore } from '../orchestration/call-state-store';
import type { SignalingConfig } from '../config';
import { NATS_NAMES, TOPOLOGY_READY } from '../tokens';
import { defaultTopology, ensureTopology } from './topology';

/** Names of the streams, consumer and bucket, a provider that resolves once they exist, and the call-state store. */
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
    {
      provide: CallStateStore,
      useFactory: async (js: JetStreamClient, names: NatsNames) =>
        new CallStateStore(await js.views.kv(names.callStateBucket, { history: 1, ttl: defaultTopology.callStateTtlMs })),
      inject: [JETSTREAM, NATS_NAMES, TOPOLOGY_READY],
    },
  ],
  exports: [NATS_NAMES, TOPOLOGY_READY, CallStateStore],
})
export class JetStreamModule {}
