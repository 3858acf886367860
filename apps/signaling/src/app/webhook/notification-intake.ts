import { hash } from 'node:crypto';
import { z } from 'zod';
import { commsNotificationsSchema, notificationResource, type CommsNotification, type ParticipantJoiningResponse } from '@switchboard/graph-models';
import type { JetStreamPipeline } from '@switchboard/jetstream';
import { graphCallId, type NatsNames, type StoredNotification } from '@switchboard/nats-contracts';
import type { CallbackIdentity } from '../callback-auth/callback-authenticator';

/** The body is not a notification batch we can route; the message says what is wrong and where. */
export class InvalidNotificationBatch extends Error {
  override readonly name = 'InvalidNotificationBatch';
}

export interface Routed {
  callId: string;
  notification: CommsNotification;
  /** What the webhook answers Graph for this notification (a participantJoiningResponse), kept with it. */
  answer?: ParticipantJoiningResponse;
}

/**
 * Validates a `commsNotifications` batch and stores each notification in the JetStream stream before the webhook
 * answers. A batch is all or nothing for validation: one bad item refuses the request and nothing is stored.
 * The message id is the notification's content hash, so a batch Graph delivers again is stored once; see
 * {@link messageId} for the `updated` notifications that must not be deduplicated that way.
 */
export class NotificationIntake {
  constructor(
    private readonly publisher: Pick<JetStreamPipeline, 'publish'>,
    private readonly names: NatsNames,
  ) {}

  /**
   * The first incoming-call POST can arrive in the legacy Bot Framework format; answering 204 makes the platform
   * send it again as a Graph notification (contract §1.7), so it is neither stored nor refused.
   */
  isLegacyActivity(body: unknown): boolean {
    if (typeof body !== 'object' || body === null || 'value' in body) return false;
    const activity = body as Record<string, unknown>;
    return typeof activity['type'] === 'string' && (typeof activity['channelId'] === 'string' || typeof activity['serviceUrl'] === 'string');
  }

  validate(body: unknown): Routed[] {
    const parsed = commsNotificationsSchema.safeParse(body);
    if (!parsed.success) throw new InvalidNotificationBatch(`not a commsNotifications batch: ${describeIssues(parsed.error)}`);
    return parsed.data.value.map((notification, i) => {
      const resource = notificationResource(notification);
      if (!resource) throw new InvalidNotificationBatch(`value[${i}].resourceUrl is not a /communications/calls resource`);
      try {
        return { callId: graphCallId(resource.callId), notification };
      } catch (error) {
        throw new InvalidNotificationBatch(`value[${i}]: ${(error as Error).message}`);
      }
    });
  }

  /**
   * Resolves once JetStream acknowledged every notification (duplicates included). The publications are pipelined
   * (`JetStreamPipeline`): those of every request read in one turn go out in one write and their acks are awaited
   * together, so a batch costs one round trip, not one per notification.
   */
  async store(routed: Routed[], identity: CallbackIdentity, receivedAt = new Date()): Promise<{ stored: number; duplicates: number }> {
    const envelope = storedEnvelope(receivedAt, identity);
    const acks = await Promise.all(
      routed.map(({ callId, notification, answer }) => {
        const json = JSON.stringify(notification);
        return this.publisher.publish(this.names.notificationSubject(callId), envelope(json, answer), { msgID: messageId(notification.changeType, json, receivedAt) });
      }),
    );
    const duplicates = acks.filter((a) => a.duplicate).length;
    return { stored: acks.length - duplicates, duplicates };
  }
}

/**
 * The JSON of a {@link StoredNotification} around an already serialised notification: each notification is
 * serialised once, for its message id and its stored form alike (the same text `JSON.stringify` of the whole
 * envelope gives).
 */
function storedEnvelope(receivedAt: Date, identity: CallbackIdentity): (notificationJson: string, answer?: ParticipantJoiningResponse) => string {
  const head: Omit<StoredNotification, 'notification'> = { receivedAt: receivedAt.toISOString(), tenantId: identity.tenantId, issuer: identity.issuer };
  const open = JSON.stringify(head).slice(0, -1);
  const prefix = `${open},"notification":`;
  return (notificationJson, answer) => `${answer ? `${open},"answer":${JSON.stringify(answer)},"notification":` : prefix}${notificationJson}}`;
}

/**
 * `created` and `deleted` happen once per resource, so the same body again is Graph delivering it again. An `updated`
 * notification reports a state, and states recur: a roster with someone muted, then unmuted, then muted again within
 * a minute arrives byte-identical the first and third time (contract §1.4). Its id therefore also carries the time it
 * was received: each is stored, and applying a state twice changes nothing in the reducer.
 */
export function messageId(changeType: CommsNotification['changeType'], notificationJson: string, receivedAt: Date): string {
  const digest = hash('sha256', notificationJson, 'base64url');
  return changeType === 'updated' ? `${digest}@${receivedAt.getTime()}` : digest;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`)
    .join('; ');
}
