/**
 * The ids under which a call's effects, events and timers are stored and deduplicated, built in one place.
 *
 * They are persisted (an outbox item's id, `doneEffects` in the KV call record) and sent out (an event id is the
 * JetStream message id that deduplicates its publication, a timer id the message id of its input), so a replica
 * running newer code must build the very same string for the same cause as one running older code: the formats
 * below are fixed, and `effect-ids.spec.ts` pins them.
 */
import type { FlowMediaEvent } from '@switchboard/nats-contracts';

/** An outbox item's id: unique per cause within a call, never decided twice (see `CallRecord.doneEffects`). */
export type EffectId = string & { readonly __effectId: unique symbol };

/** What an effect is for; each kind has its own prefix, so ids of different kinds never collide. */
export type EffectCause =
  /** Answering the incoming call: one per call. */
  | { kind: 'answer' }
  /** Placing the incoming call's media on a pod, and refusing the call when no pod can take it: once per call. */
  | { kind: 'place-media' }
  /** Refusing the incoming call (no media pod can take it, or the replica is over capacity): one per call, never next to an answer. */
  | { kind: 'reject' }
  /** A Graph request a flow sent with this clientContext (prompt, tones, record, transfer, invite, cancel). */
  | { kind: 'graph'; clientContext: string }
  /** A flow's media verb (play, record, cancel) with this clientContext, carried out by the call's media pod (app-hosted). */
  | { kind: 'media'; clientContext: string }
  /** A flow's redirect or hangup: at most one per call (the flow ends with it). */
  | { kind: 'redirect' }
  | { kind: 'hangup' }
  /** The keepAlive request a fired keepAlive timer asks for. */
  | { kind: 'keepAlive'; timerId: string }
  /** Scheduling a durable timer (keepAlive or a flow's). */
  | { kind: 'timer'; timerId: string }
  /** A flow's request to the customer's app. */
  | { kind: 'flow-webhook'; requestId: string }
  /** Downloading a recorded message into Blob storage (through libs/recording-store) under `name`. */
  | { kind: 'store-recording'; name: string }
  /** Asking recording-compliance for the grant a flow's record (this clientContext) waits for. */
  | { kind: 'start-grant'; clientContext: string }
  /** Ending a grant signaling holds. */
  | { kind: 'stop-grant'; grantId: string }
  /** Renewing a grant's lease when its renewal timer fired. */
  | { kind: 'renew-grant'; timerId: string }
  /** Publishing the call's `eventNumber`-th event. */
  | { kind: 'event'; eventNumber: number; type: string }
  /** Publishing that the effect `failed` was dropped, and telling the flow that waited on it. */
  | { kind: 'effect-failed-event'; failed: EffectId }
  | { kind: 'action-failed-input'; failed: EffectId };

export function effectId(cause: EffectCause): EffectId {
  return format(cause) as EffectId;
}

function format(cause: EffectCause): string {
  switch (cause.kind) {
    case 'answer':
    case 'place-media':
    case 'reject':
    case 'redirect':
    case 'hangup':
      return cause.kind;
    case 'graph':
      return `graph:${cause.clientContext}`;
    case 'media':
      return `media:${cause.clientContext}`;
    case 'keepAlive':
      return `keepAlive:${cause.timerId}`;
    case 'timer':
      return `timer:${cause.timerId}`;
    case 'flow-webhook':
      return `webhook:${cause.requestId}`;
    case 'store-recording':
      return `store-recording:${cause.name}`;
    case 'start-grant':
      return `grant-start:${cause.clientContext}`;
    case 'stop-grant':
      return `grant-stop:${cause.grantId}`;
    case 'renew-grant':
      return `grant-renew:${cause.timerId}`;
    case 'event':
      return `event:${cause.eventNumber}:${cause.type}`;
    case 'effect-failed-event':
      return `event:effect-failed:${cause.failed}`;
    case 'action-failed-input':
      return `schedule:action-failed:${cause.failed}`;
  }
}

/** A call event's id (and the message id that deduplicates its publication): the call, then the event's number and type. */
export const callEventId = (callId: string, eventNumber: number, type: string): string => `${callId}:${eventNumber}:${type}`;

/** The `recording-stored` event's id: one per stored recording, whichever replica stored it. */
export const recordingStoredEventId = (callId: string, name: string): string => `${callId}:recording:${name}`;

/** The input that reports an updateRecordingStatus Graph answered at once (no notification follows): one per clientContext. */
export const recordingStatusAnsweredRequestId = (clientContext: string): string => `recording-status-answered:${clientContext}`;

/** The `n`-th renewal timer of a recording grant's lease. */
export const grantRenewalTimerId = (grantId: string, n: number): string => `grant-renewal:${grantId}:${n}`;

/** The call's `n`-th keepAlive timer. */
export const keepAliveTimerId = (callId: string, n: number): string => `${callId}:keepAlive:${n}`;

/** The request id of the `action-failed` input that reports a dropped effect to its flow. */
export const failureRequestId = (failed: EffectId): string => `failed:${failed}`;

/**
 * The id of one prompt the media pod plays for a flow's `play` or `record` with this clientContext: the last prompt
 * of a play carries the clientContext itself (its end is the play's end); the ones before it, and a record's prompt,
 * carry `<clientContext>@<part>`.
 */
export const mediaPromptId = (clientContext: string, part?: number | 'prompt'): string => (part === undefined ? clientContext : `${clientContext}@${part}`);

/** The clientContext and part of a media prompt id (`mediaPromptId`'s inverse; a clientContext has no `@`). */
export function mediaPromptOf(id: string): { clientContext: string; part?: number | 'prompt' } {
  const at = id.lastIndexOf('@');
  if (at < 0) return { clientContext: id };
  const part = id.slice(at + 1);
  return { clientContext: id.slice(0, at), part: part === 'prompt' ? 'prompt' : Number(part) };
}

/**
 * The request id of the input that relays a media event to its call: one per prompt or recording (by its id), per
 * key (by its stream time), and per session start or failure, so a redelivered event is dropped as a duplicate.
 */
export function mediaEventRequestId(event: FlowMediaEvent): string {
  switch (event.type) {
    case 'prompt-completed':
    case 'record-completed':
      return `media:${event.type}:${event.id}`;
    case 'dtmf':
      return `media:dtmf:${event.atMs}`;
    case 'session-started':
    case 'session-failed':
      return `media:${event.type}`;
  }
}

/** Where a recorded message is kept: the call, then the number of the event that announced it. */
export const recordingName = (callId: string, eventNumber: number): string => `${callId}/${eventNumber}.wav`;
