import { Module } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { JetStreamPublisher } from '@switchboard/jetstream';
import type { NatsNames } from '@switchboard/nats-contracts';
import { APP_CONFIG, NATS_CONNECTION } from '@switchboard/service-kit';
import { CallbackAuthenticator } from '../callback-auth/callback-authenticator';
import type { SignalingConfig } from '../config';
import { NATS_NAMES, TOPOLOGY_READY } from '../tokens';
import { NotificationIntake } from './notification-intake';
import { WebhookController } from './webhook.controller';
import { WebhookMetrics } from './webhook.metrics';

@Module({
  controllers: [WebhookController],
  providers: [
    WebhookMetrics,
    {
      provide: CallbackAuthenticator,
      useFactory: (config: SignalingConfig) =>
        new CallbackAuthenticator({ openIdConfigurationUrl: config.CALLBACK_OIDC_URL, audience: config.BOT_APP_ID }),
      inject: [APP_CONFIG],
    },
    {
      provide: NotificationIntake,
      useFactory: (nc: NatsConnection, names: NatsNames) => new NotificationIntake(new JetStreamPublisher(nc), names),
      inject: [NATS_CONNECTION, NATS_NAMES, TOPOLOGY_READY],
    },
  ],
})
export class WebhookModule {}
