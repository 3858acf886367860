import { DeliverPolicy, type JetStreamManager } from 'nats';
import type { NatsNames } from '@switchboard/nats-contracts';
import { ensureDurableConsumer } from '@switchboard/jetstream';

export interface WebhookConsumerSettings {
  ackWaitMs: number;
}

/**
 * One durable consumer per subscription on the events stream, so each keeps its own cursor and retry state.
 * A new subscription starts with events published from now on. Server 2.9 has one filter subject per consumer,
 * so every consumer reads all event subjects and the subscription's filters apply in the process. One
 * unacknowledged event at a time keeps the customer's events in order; attempts are counted by the consumer's worker.
 */
export async function ensureWebhookConsumer(jsm: JetStreamManager, names: NatsNames, subscriptionId: string, settings: WebhookConsumerSettings) {
  const name = names.webhookConsumer(subscriptionId);
  await ensureDurableConsumer(jsm, {
    stream: names.eventsStream,
    name,
    filterSubject: names.eventSubjects,
    deliverPolicy: DeliverPolicy.New,
    ackWaitMs: settings.ackWaitMs,
    maxAckPending: 1,
  });
  return name;
}

/** Deletes the consumers of subscriptions no longer configured; returns their names. */
export async function pruneWebhookConsumers(jsm: JetStreamManager, names: NatsNames, keep: ReadonlySet<string>): Promise<string[]> {
  const prefix = names.webhookConsumerPrefix;
  const stale: string[] = [];
  for await (const info of jsm.consumers.list(names.eventsStream)) {
    if (info.name.startsWith(prefix) && !keep.has(info.name)) stale.push(info.name);
  }
  for (const name of stale) await jsm.consumers.delete(names.eventsStream, name);
  return stale;
}
