import { z } from 'zod';
import { callIdToken } from './call-id';
import { mediaSessionNames, type MediaSessionNames } from './media-sessions';

/**
 * Every NATS subject, stream, bucket and consumer name the platform uses, derived from one namespace so that
 * several deployments (or test runs) share a server without their JetStream subjects overlapping.
 * The default namespace is empty: subjects are then exactly `calls.v1.…` and `graph.v1.…`.
 */
export interface NatsNames extends MediaSessionNames {
  namespace: string;
  /** JetStream stream holding every accepted Graph notification, one subject per call. */
  notificationsStream: string;
  notificationSubject(callId: string): string;
  notificationSubjects: string;
  /** Durable consumer shared by all signaling replicas (work queue semantics via one consumer). */
  orchestratorConsumer: string;
  /** Notifications that could not be applied after the last delivery. */
  deadLetterStream: string;
  deadLetterSubject: string;
  /** JetStream stream of inputs signaling gives itself per call: durable timers, webhook answers, commands. */
  inputsStream: string;
  inputSubject(callId: string): string;
  inputSubjects: string;
  inputsConsumer: string;
  /** JetStream stream of domain events for other services and customers. */
  eventsStream: string;
  eventSubject(type: CallEventType): string;
  eventSubjects: string;
  /** JetStream KV bucket: one entry per call, updated with compare-and-set on revision. */
  callStateBucket: string;
  /** KV bucket: the delivery log of customer event webhooks. */
  webhookDeliveriesBucket: string;
  /** Durable consumer on the events stream for one customer webhook subscription. */
  webhookConsumer(subscriptionId: string): string;
  /** What every webhook consumer name starts with, to find those of removed subscriptions. */
  webhookConsumerPrefix: string;
  /** Call-control commands (request/reply), one subject per action: `calls.v1.commands.<action>`. */
  commandSubject(action: string): string;
  /** JetStream KV bucket: the first answer to each call-control request with an idempotency key (24 h). */
  apiIdempotencyBucket: string;
  /** Every stream of the namespace (the KV bucket's included), e.g. to remove a test run's. */
  streams: string[];
  /** JetStream KV bucket: one heartbeat per media pod (key = pod name), dropped a few intervals after the last. */
  mediaPodsBucket: string;
  /** JetStream stream keeping the media events a call's flow acts on (`flowMediaEventTypes`), for signaling. */
  mediaEventsStream: string;
  /** Durable consumer on the media events stream shared by every signaling replica. */
  mediaEventsConsumer: string;
  /** JetStream KV bucket: the call id Graph gave an API-placed app-hosted call, by the media call id the pod knows. */
  mediaCallsBucket: string;
}

export const callEventTypes = [
  'incoming',
  'answered',
  'established',
  'state-changed',
  'tone',
  'operation-completed',
  'terminated',
  'effect-failed',
  'flow-event',
  'recording-stored',
  'media-placed',
  'media-lost',
  'call-failed',
  'participants-updated',
  'participant-joining',
] as const;
export type CallEventType = (typeof callEventTypes)[number];

const namespacePattern = /^([a-z0-9][a-z0-9-]{0,31})?$/;
const NAMESPACE_RULE = 'lower-case letters, digits and dashes, at most 32';

/** `NATS_NAMESPACE`: prefix of every subject and JetStream name, so deployments (and test runs) can share a server. */
export const natsNamespaceSchema = z.string().trim().regex(namespacePattern, NAMESPACE_RULE).default('');

export function natsNames(namespace = ''): NatsNames {
  if (!namespacePattern.test(namespace)) {
    throw new Error(`NATS namespace "${namespace}" must be ${NAMESPACE_RULE}`);
  }
  const { subject, name } = namespacing(namespace);
  const streams = {
    notificationsStream: name('GRAPH_NOTIFICATIONS'),
    deadLetterStream: name('GRAPH_NOTIFICATIONS_DLQ'),
    inputsStream: name('SIGNALING_INPUTS'),
    eventsStream: name('CALL_EVENTS'),
    mediaEventsStream: name('MEDIA_EVENTS'),
  };
  const callStateBucket = name('call_state').toLowerCase();
  const apiIdempotencyBucket = name('api_idempotency').toLowerCase();
  const webhookDeliveriesBucket = name('webhook_deliveries').toLowerCase();
  const mediaPodsBucket = name('media_pods').toLowerCase();
  const mediaCallsBucket = name('media_calls').toLowerCase();
  const webhookConsumerPrefix = name('customer_webhook_');
  return {
    namespace,
    ...streams,
    callStateBucket,
    apiIdempotencyBucket,
    webhookDeliveriesBucket,
    mediaPodsBucket,
    mediaCallsBucket,
    webhookConsumer: (subscriptionId) => `${webhookConsumerPrefix}${subscriptionId}`,
    webhookConsumerPrefix,
    streams: [
      ...Object.values(streams),
      `KV_${callStateBucket}`,
      `KV_${apiIdempotencyBucket}`,
      `KV_${webhookDeliveriesBucket}`,
      `KV_${mediaPodsBucket}`,
      `KV_${mediaCallsBucket}`,
    ],
    notificationSubject: (callId) => subject(`graph.v1.notifications.${callIdToken(callId)}`),
    notificationSubjects: subject('graph.v1.notifications.>'),
    orchestratorConsumer: name('signaling_orchestrator'),
    deadLetterSubject: subject('graph.v1.dead-letter'),
    inputSubject: (callId) => subject(`signaling.v1.inputs.${callIdToken(callId)}`),
    inputSubjects: subject('signaling.v1.inputs.>'),
    inputsConsumer: name('signaling_inputs'),
    mediaEventsConsumer: name('signaling_media_events'),
    eventSubject: (type) => subject(`calls.v1.events.${type}`),
    eventSubjects: subject('calls.v1.events.>'),
    commandSubject: (action) => subject(`calls.v1.commands.${commandToken(action)}`),
    ...mediaSessionNames(subject),
  };
}

/** The one rule that puts a namespace into subjects (`ns.x.y`) and JetStream names (`NS_X`); other contracts build on it. */
export function namespacing(namespace: string): { subject: (s: string) => string; name: (s: string) => string } {
  return {
    subject: (s) => (namespace ? `${namespace}.${s}` : s),
    name: (s) => (namespace ? `${namespace.replace(/-/g, '_').toUpperCase()}_${s}` : s),
  };
}

/** A command action as one subject token: lower-case words joined by dashes. */
export function commandToken(action: string): string {
  if (!/^[a-z]+(-[a-z]+)*$/.test(action)) throw new Error(`command action "${action}" must be lower-case words joined by dashes`);
  return action;
}
