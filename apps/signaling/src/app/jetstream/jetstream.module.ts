import { Global, Module } from '@nestjs/common';
import type { JetStreamManager } from 'nats';
import { natsNames, type NatsNames } from '@switchboard/nats-contracts';
import { APP_CONFIG, JETSTREAM_MANAGER } from '@switchboard/service-kit';
import type { SignalingConfig } from '../config';
import { NATS_NAMES, TOPOLOGY_READY } from '../tokens';
import { defaultTopology, ensureTopology } from './topology';

/** Names of the streams, consumer and bucket, and a provider that resolves once they exist. */
@Global()
@Module({
  providers: [
    { provide: NATS_NAMES, useFactory: (config: SignalingConfig) => natsNames(config.NATS_NAMESPACE), inject: [APP_CONFIG] },
    {
      provide: TOPOLOGY_READY,
      useFactory: async (jsm: JetStreamManager, names: NatsNames, config: SignalingConfig) => {
        await ensureTopology(jsm, names, { ...defaultTopology, ackWaitMs: config.ACK_WAIT_MS, maxDeliver: config.MAX_DELIVER });
        return true;
      },
      inject: [JETSTREAM_MANAGER, NATS_NAMES, APP_CONFIG],
    },
  ],
  exports: [NATS_NAMES, TOPOLOGY_READY],
})
export class JetStreamModule {}
