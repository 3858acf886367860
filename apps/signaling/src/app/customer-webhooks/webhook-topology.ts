import { AckPolicy, DeliverPolicy, nanos, type JetStreamManager } from 'nats';
import type { NatsNames } from '@switchboard/nats-contracts';

export interface WebhookConsumerSettings {
  ackWaitMs: number;
  /** Server-side limit; one above the attempts so a replica lost during the last attempt still gets to record it. */
  maxDeliver: number;
}

/**
 * One durable consumer per subscription on the events stream, so each keeps its own cursor and retry state.
 * A new subscription starts with events published from now on. Server 2.9 has one filter subject per consumer,
 * so every consumer reads all event subjects and the subscription's filters apply in the process.
 */
export async function ensureWebhookConsumer(jsm: JetStreamManager, names: NatsNames, subscriptionId: string, settings: WebhookConsumerSettings) {
  const name = names.webhookConsumer(subscriptionId);
  const limits = { ack_wait: nanos(settings.ackWaitMs), max_deliver: settings.maxDeliver, max_ack_pending: 1 };
  try {
    await jsm.consumers.info(names.eventsStream, name);
    await jsm.consumers.update(names.eventsStream, name, limits);
  } catch (error) {
    if (!/not found/i.test((error as Error)?.message ?? '')) throw error;
    await jsm.consumers.add(names.eventsStream, {
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      filter_subject: names.eventSubjects,
      ...limits,
    });
  }
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
