import type { z } from 'zod';
import { callSchema, type Call } from './call';
import { contentSharingSessionSchema, type ContentSharingSession } from './content-sharing';
import {
  notificationResource,
  resourceDataItems,
  type ChangeType,
  type CommsNotification,
  type CommsNotifications,
} from './notifications';
import { commsOperationSchema, type CommsOperation } from './operations';
import { deltaParticipantsSchema, participantSchema, type Participant } from './participant';
import { isParticipantJoiningItem, participantJoiningNotificationSchema } from './participant-joining';

/**
 * An operation as a notification reports it, its id taken from the resourceUrl. `idFromUrl` when the body had no
 * id of its own: then the URL may name no single operation (every multi-invite completes on
 * `/operations/participants`, participant-invite.md, example 2), and only its clientContext tells two apart.
 */
export type NotifiedOperation = CommsOperation & { id: string; idFromUrl?: true };

/** What one notification says, typed; the signaling service applies these to a call's state. */
export type NotificationFact =
  | { type: 'call'; callId: string; changeType: ChangeType; call: Call }
  | { type: 'operation'; callId: string; operationId: string; changeType: ChangeType; operation: NotifiedOperation }
  | {
      type: 'participants';
      callId: string;
      changeType: ChangeType;
      participants: Participant[];
      /**
       * False when some roster items could not be read (each has its own `unrecognised` fact): a full roster
       * with holes must not be read as "the missing ones left".
       */
      complete: boolean;
      /** Set for a delta roster (`isDeltaRosterEnabled`): only changes, numbered. */
      delta?: { sequenceNumber: number | null };
    }
  | { type: 'contentSharing'; callId: string; changeType: ChangeType; items: ContentSharingSession[] }
  /** Another user under the recording policy joins a recorded call (`participantJoiningNotification`); `call` names them. */
  | { type: 'participantJoining'; callId: string; changeType: ChangeType; call: Call }
  | { type: 'unrecognised'; reason: string; callId?: string };

type Item = Record<string, unknown>;
type Read<T> = { ok: true; value: T } | { ok: false; fact: NotificationFact };
type Reader = <S extends z.ZodType>(schema: S, item: Item, index: number) => Read<z.output<S>>;

/**
 * Reads one notification into facts. Never throws: an item that does not parse becomes an `unrecognised`
 * fact naming the path (`resourceData[1].state: …`), and the other items are still read.
 */
export function readNotification(n: CommsNotification): NotificationFact[] {
  const ref = notificationResource(n);
  if (!ref) {
    return [{ type: 'unrecognised', reason: `resource "${n.resourceUrl ?? n.resource ?? ''}" is not a calls resource` }];
  }
  const { callId } = ref;
  const { changeType } = n;
  const items = resourceDataItems(n);
  const read: Reader = (schema, item, index) => {
    const result = schema.safeParse(item);
    if (result.success) return { ok: true, value: result.data };
    const path = Array.isArray(n.resourceData) ? `resourceData[${index}]` : 'resourceData';
    return { ok: false, fact: { type: 'unrecognised', callId, reason: describeIssues(path, result.error) } };
  };
  const noData = (what: string): NotificationFact[] => [
    { type: 'unrecognised', callId, reason: `${what} notification has no resourceData` },
  ];

  switch (ref.kind) {
    case 'call':
      // A call `deleted` without a body still means the call is gone, so it is reported as an empty call.
      if (items.length === 0) return [{ type: 'call', callId, changeType, call: {} }];
      return items.map((item, i) => {
        if (isParticipantJoiningItem(item)) {
          const joining = read(participantJoiningNotificationSchema, item, i);
          return joining.ok ? { type: 'participantJoining', callId, changeType, call: joining.value.call } : joining.fact;
        }
        const r = read(callSchema, item, i);
        return r.ok ? { type: 'call', callId, changeType, call: r.value } : r.fact;
      });
    case 'operation': {
      if (items.length === 0) return noData('operation');
      // Graph sends the roster that follows an invite on the invite's operation URL (participant-invite.md, example 2).
      if (items.some(isParticipant)) return readRoster(items, read, callId, changeType);
      // parseResourceUrl refuses an operations URL without an id, so there is one.
      const operationId = ref.subId as string;
      return items.map((item, i) => {
        const r = read(commsOperationSchema, item, i);
        // The URL names the operation; the body's `id` may be missing or null.
        if (!r.ok) return r.fact;
        const operation: NotifiedOperation = { ...r.value, id: operationId, ...(r.value.id ? {} : { idFromUrl: true as const }) };
        return { type: 'operation', callId, operationId, changeType, operation };
      });
    }
    case 'participants':
      // An empty array is a real roster (everyone left); a missing body is not.
      return n.resourceData == null ? noData('participants') : readRoster(items, read, callId, changeType);
    case 'contentSharingSessions': {
      const reads = items.map((item, i) => read(contentSharingSessionSchema, item, i));
      const sessions = reads.flatMap((r) => (r.ok ? [r.value] : []));
      return [{ type: 'contentSharing', callId, changeType, items: sessions }, ...failures(reads)];
    }
  }
}

/** Every fact of a batch, in order. */
export const readNotifications = (batch: CommsNotifications): NotificationFact[] => batch.value.flatMap(readNotification);

function readRoster(items: Item[], read: Reader, callId: string, changeType: ChangeType): NotificationFact[] {
  const participants: Participant[] = [];
  const bad: NotificationFact[] = [];
  let delta: { sequenceNumber: number | null } | undefined;
  items.forEach((item, i) => {
    if (isDelta(item)) {
      const r = read(deltaParticipantsSchema, item, i);
      if (!r.ok) return void bad.push(r.fact);
      participants.push(...r.value.participants);
      delta = { sequenceNumber: r.value.sequenceNumber ?? null };
    } else {
      const r = read(participantSchema, item, i);
      if (!r.ok) return void bad.push(r.fact);
      participants.push(r.value);
    }
  });
  const complete = bad.length === 0;
  return [{ type: 'participants', callId, changeType, participants, complete, ...(delta ? { delta } : {}) }, ...bad];
}

const isOfType = (name: string) => (item: Item): boolean =>
  typeof item['@odata.type'] === 'string' && item['@odata.type'].toLowerCase() === `#microsoft.graph.${name}`;
const isDelta = isOfType('deltaparticipants');
const isParticipant = (item: Item): boolean => isOfType('participant')(item) || isDelta(item);

const failures = <T>(reads: Read<T>[]): NotificationFact[] => reads.flatMap((r) => (r.ok ? [] : [r.fact]));

/** `resourceData[0].state: Invalid option…; resourceData[0].toneInfo.tone: …` */
function describeIssues(prefix: string, error: z.ZodError): string {
  const at = (path: PropertyKey[]) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return error.issues.map((issue) => `${prefix}${at(issue.path)}: ${issue.message}`).join('; ');
}
