import type { JetStreamClient, JetStreamManager } from 'nats';
import type { NatsNames } from '@switchboard/nats-contracts';
import type { CustomerWebhooksConfig } from './customer-webhooks.env';
import type { CustomerWebhookMetrics } from './customer-webhooks.metrics';
import { DELIVERY_LOG_TTL_MS, DeliveryLog, type DeliveryFilter, type DeliveryRecord } from './delivery-log';
import { SubscriptionConsumer, type LogFn } from './subscription-consumer';
import { viewOf, type Subscription, type SubscriptionView } from './subscriptions';
import { WebhookSender } from './webhook-sender';
import { ensureWebhookConsumer, pruneWebhookConsumers } from './webhook-topology';

export interface CustomerWebhooksDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  names: NatsNames;
  config: CustomerWebhooksConfig;
  subscriptions: readonly Subscription[];
  metrics: CustomerWebhookMetrics;
  log: LogFn;
}

/** Margin over the HTTP timeout for the delivery-log reads and writes around an attempt. */
const ACK_WAIT_MARGIN_MS = 30_000;

/** The subscriptions, their consumers and the delivery log; nothing touches JetStream streams when none is configured. */
export class CustomerWebhooks {
  private constructor(
    private readonly subs: readonly Subscription[],
    private readonly log: DeliveryLog | undefined,
    private readonly consumers: readonly SubscriptionConsumer[],
    private readonly sender: WebhookSender | undefined,
  ) {}

  static async create(deps: CustomerWebhooksDeps): Promise<CustomerWebhooks> {
    const { js, jsm, names, config, subscriptions, metrics, log } = deps;
    const consumerSettings = { ackWaitMs: config.CUSTOMER_WEBHOOKS_TIMEOUT_MS + ACK_WAIT_MARGIN_MS };
    const consumerNames = new Map<string, string>();
    for (const s of subscriptions) consumerNames.set(s.id, await ensureWebhookConsumer(jsm, names, s.id, consumerSettings));
    const pruned = await pruneWebhookConsumers(jsm, names, new Set(consumerNames.values()));
    if (pruned.length > 0) log('info', 'removed consumers of customer webhook subscriptions no longer configured', { consumers: pruned });
    if (subscriptions.length === 0) return new CustomerWebhooks([], undefined, [], undefined);

    const bucket = names.webhookDeliveriesBucket;
    const deliveries = new DeliveryLog(await js.views.kv(bucket, { history: 1, ttl: DELIVERY_LOG_TTL_MS }), bucket, js, jsm);
    const sender = new WebhookSender(config.CUSTOMER_WEBHOOKS_TIMEOUT_MS);
    const consumers = subscriptions.map(
      (s) =>
        new SubscriptionConsumer(js, s, sender, deliveries, {
          stream: names.eventsStream,
          consumer: consumerNames.get(s.id) ?? '',
          maxDeliver: config.CUSTOMER_WEBHOOKS_MAX_DELIVER,
          backoff: { baseMs: config.CUSTOMER_WEBHOOKS_BACKOFF_BASE_MS, maxMs: config.CUSTOMER_WEBHOOKS_BACKOFF_MAX_MS },
          deadLetterSubject: names.deadLetterSubject,
          log,
          onAttempt: (id, outcome, ms) => metrics.attempted(id, outcome, ms),
          observer: metrics.worker,
        }),
    );
    log('info', 'customer webhooks configured', { subscriptions: subscriptions.map((s) => ({ id: s.id, host: new URL(s.url).host })) });
    return new CustomerWebhooks(subscriptions, deliveries, consumers, sender);
  }

  async start(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
    await this.sender?.close();
  }

  subscriptions(): SubscriptionView[] {
    return this.subs.map(viewOf);
  }

  has(subscriptionId: string): boolean {
    return this.subs.some((s) => s.id === subscriptionId);
  }

  async deliveries(filter: DeliveryFilter): Promise<DeliveryRecord[]> {
    return this.log ? this.log.list(filter) : [];
  }
}
