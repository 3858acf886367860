import { BeforeApplicationShutdown, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager } from 'nats';
import type { Logger } from 'pino';
import type { NatsNames } from '@switchboard/nats-contracts';
import { APP_CONFIG, JETSTREAM, JETSTREAM_MANAGER, LOGGER } from '@switchboard/service-kit';
import { NATS_NAMES, TOPOLOGY_READY } from '../tokens';
import { CustomerWebhooks } from './customer-webhooks';
import { CustomerWebhooksController } from './customer-webhooks.controller';
import type { CustomerWebhooksConfig } from './customer-webhooks.env';
import { CustomerWebhookMetrics } from './customer-webhooks.metrics';
import { loadSubscriptions, type Subscription } from './subscriptions';

const SUBSCRIPTIONS = Symbol('CUSTOMER_WEBHOOK_SUBSCRIPTIONS');

/** Signed HTTP webhooks of call events for customers, with retries and a delivery log. Off without CUSTOMER_WEBHOOKS_FILE. */
@Module({
  controllers: [CustomerWebhooksController],
  providers: [
    CustomerWebhookMetrics,
    {
      provide: SUBSCRIPTIONS,
      // A bad file throws a ConfigError naming the entry and field: the service refuses to start.
      useFactory: (config: CustomerWebhooksConfig) => loadSubscriptions(config.CUSTOMER_WEBHOOKS_FILE, process.env),
      inject: [APP_CONFIG],
    },
    {
      provide: CustomerWebhooks,
      useFactory: (
        js: JetStreamClient,
        jsm: JetStreamManager,
        names: NatsNames,
        config: CustomerWebhooksConfig,
        subscriptions: Subscription[],
        metrics: CustomerWebhookMetrics,
        logger: Logger,
      ) =>
        CustomerWebhooks.create({
          js,
          jsm,
          names,
          config,
          subscriptions,
          metrics,
          log: (level, msg, fields) => logger[level](fields, msg),
        }),
      inject: [JETSTREAM, JETSTREAM_MANAGER, NATS_NAMES, APP_CONFIG, SUBSCRIPTIONS, CustomerWebhookMetrics, LOGGER, TOPOLOGY_READY],
    },
  ],
})
export class CustomerWebhooksModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(CustomerWebhooks) private readonly webhooks: CustomerWebhooks) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.webhooks.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.webhooks.stop();
  }
}
