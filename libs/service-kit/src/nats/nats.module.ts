import { DynamicModule, Global, Module } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { APP_CONFIG } from '../config/tokens';
import { connectNats, NatsConnectError, natsSettingsFrom } from './connect-nats';
import { NatsLifecycle } from './nats-lifecycle';
import { JETSTREAM, JETSTREAM_MANAGER, NATS_CONNECTION } from './tokens';

export interface NatsModuleOptions {
  /** Connection name shown by the server (`nats server report connections`); use the service name. */
  name: string;
}

/** One NATS connection per service (as its NATS_USER when set), with JetStream, a readiness check and a drain on shutdown. */
@Global()
@Module({})
export class NatsModule {
  static forRoot(options: NatsModuleOptions): DynamicModule {
    return {
      module: NatsModule,
      providers: [
        {
          provide: NATS_CONNECTION,
          useFactory: (config: unknown) => connectNats(natsSettingsFrom(config), options.name),
          inject: [APP_CONFIG],
        },
        {
          provide: JETSTREAM,
          useFactory: (nc: NatsConnection) => nc.jetstream(),
          inject: [NATS_CONNECTION],
        },
        {
          provide: JETSTREAM_MANAGER,
          useFactory: async (nc: NatsConnection, config: unknown) => {
            try {
              return await nc.jetstreamManager();
            } catch (err) {
              await nc.close();
              const reason = err instanceof Error ? err.message : String(err);
              throw new NatsConnectError(natsSettingsFrom(config).NATS_URL, `JetStream is not available (${reason})`);
            }
          },
          inject: [NATS_CONNECTION, APP_CONFIG],
        },
        NatsLifecycle,
      ],
      exports: [NATS_CONNECTION, JETSTREAM, JETSTREAM_MANAGER],
    };
  }
}
