import { Module } from '@nestjs/common';
import { JetStreamPipeline } from '@switchboard/jetstream';
import type { NatsNames } from '@switchboard/nats-contracts';
import { APP_CONFIG, LOGGER } from '@switchboard/service-kit';
import type { Logger } from 'pino';
import { CallStateStore } from '../orchestration/call-state-store';
import { CallbackAuthenticator } from '../callback-auth/callback-authenticator';
import type { SignalingConfig } from '../config';
import { NATS_NAMES, TOPOLOGY_READY } from '../tokens';
import { NotificationIntake } from './notification-intake';
import { ParticipantJoiningAnswers } from './participant-joining-answers';
import { CallingWebhook } from './calling-webhook';
import { WebhookRoute } from './webhook.route';
import { WebhookMetrics } from './webhook.metrics';

@Module({
  providers: [
    WebhookMetrics,
    WebhookRoute,
    {
      provide: CallbackAuthenticator,
      useFactory: (config: SignalingConfig) =>
        new CallbackAuthenticator({ openIdConfigurationUrl: config.CALLBACK_OIDC_URL, audience: config.BOT_APP_ID }),
      inject: [APP_CONFIG],
    },
    {
      provide: ParticipantJoiningAnswers,
      useFactory: (calls: CallStateStore, logger: Logger) => new ParticipantJoiningAnswers(calls, logger.child({ component: 'webhook' })),
      inject: [CallStateStore, LOGGER],
    },
    {
      provide: NotificationIntake,
      useFactory: (pipeline: JetStreamPipeline, names: NatsNames) => new NotificationIntake(pipeline, names),
      inject: [JetStreamPipeline, NATS_NAMES, TOPOLOGY_READY],
    },
    {
      provide: CallingWebhook,
      useFactory: (
        authenticator: CallbackAuthenticator,
        intake: NotificationIntake,
        joins: ParticipantJoiningAnswers,
        metrics: WebhookMetrics,
        logger: Logger,
        config: SignalingConfig,
      ) =>
        new CallingWebhook({ authenticator, intake, joins, metrics, logger: logger.child({ component: 'webhook' }), bodyLimitBytes: config.WEBHOOK_BODY_LIMIT_BYTES }),
      inject: [CallbackAuthenticator, NotificationIntake, ParticipantJoiningAnswers, WebhookMetrics, LOGGER, APP_CONFIG],
    },
  ],
})
export class WebhookModule {}
