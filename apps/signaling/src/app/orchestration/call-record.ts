import type { CallState, InvitationParticipantInfo, ResultInfo } from '@switchboard/graph-models';
import type { IvrCommandOf, IvrState, WebhookPayload } from '@switchboard/ivr-engine';
import type { CallEvent, CallInput } from '@switchboard/nats-contracts';
import type { SealedToken } from '../recordings/recording-token-seal';
import type { CallRoster } from './call-roster';
import type { EffectId } from './effect-ids';

/** A Graph request the orchestrator decided to make; carried out once per outbox item id. */
export type GraphEffect =
  /** With `media`, app-hosted: the blob of the pod the call was placed on (see media-placement/). */
  | { kind: 'answer'; media?: { blob: string }; participantCapacity?: number }
  | { kind: 'reject'; reason: 'busy' | 'none' }
  | { kind: 'playPrompt'; prompts: string[]; clientContext: string }
  | { kind: 'subscribeToTone'; clientContext: string }
  | { kind: 'cancelMediaProcessing'; clientContext: string }
  | ({ kind: 'recordResponse' } & Omit<IvrCommandOf<'record'>, 'kind'>)
  | { kind: 'transfer'; target: InvitationParticipantInfo; replacesCallId?: string; clientContext: string }
  | { kind: 'redirect'; targets: InvitationParticipantInfo[]; timeoutSeconds?: number }
  | { kind: 'invite'; participants: InvitationParticipantInfo[]; clientContext: string }
  | { kind: 'hangUp' }
  | { kind: 'updateRecordingStatus'; status: 'recording' | 'notRecording' | 'failed'; clientContext: string }
  | { kind: 'keepAlive' };

/**
 * A flow's media verb on an app-hosted call, carried out by the media pod hosting it (a NATS command to its media
 * session); the pod's `prompt-completed` and `record-completed` events report the outcome, like Graph's operations.
 */
export type MediaEffect =
  | { kind: 'media-play'; prompts: string[]; bargeIn: boolean; clientContext: string }
  | ({ kind: 'media-record' } & Omit<IvrCommandOf<'record'>, 'kind'>)
  | { kind: 'media-cancel'; clientContext: string };

export type OutboxAction =
  | GraphEffect
  | MediaEffect
  /** Prepares the call on a media pod (PrepareCall); the outcome comes back as a media-placed or -placement-failed input. */
  | { kind: 'place-media' }
  | { kind: 'publish'; event: CallEvent }
  /** Puts an input on the call's inputs stream: a durable timer (it fires even if this replica is gone), a failure report. */
  | { kind: 'schedule'; input: CallInput }
  /** Asks the customer's app for a flow's next steps; the answer comes back as an input. */
  | { kind: 'flow-webhook'; requestId: string; url: string; payload: WebhookPayload; timeoutMs: number }
  /**
   * Downloads a recorded message from Graph and stores it. The record is stored, so Graph's access token is kept
   * sealed (encrypted, bound to `name`): only a replica of this deployment can open it, and only for this download.
   */
  | {
      kind: 'store-recording';
      location: string;
      sealedAccessToken: SealedToken;
      name: string;
      /** The grant the message was recorded under: the writer stores it under this lease, then the grant is stopped. */
      grantId: string;
      /** When Graph started and stopped recording (recordResponse released, recordOperation finished). */
      startedAt: string;
      endedAt: string;
    }
  /** Asks recording-compliance for a grant for the flow's `record` (clientContext); its progress comes back as inputs. */
  | { kind: 'start-grant'; clientContext: string }
  /** Ends a grant nothing will be written under any more: the lease ends, then `notRecording` is sent. */
  | { kind: 'stop-grant'; grantId: string }
  /** Renews the lease of a grant Graph is recording under. */
  | { kind: 'renew-grant'; grantId: string };

/**
 * An effect waiting to be carried out. It is claimed by the replica that wrote it; a claim older than the lease
 * may be taken over (the claimant died), which is how an accepted notification survives a killed replica.
 */
export interface OutboxItem {
  id: EffectId;
  action: OutboxAction;
  claimedBy?: string;
  claimedAt?: number;
  attempts: number;
  /** The flow's clientContext, when the effect was decided by a flow: a permanent failure is reported to it. */
  clientContext?: string;
}

export interface Party {
  kind: string;
  id?: string;
  displayName?: string;
}

/** How the call's media is hosted: by Graph (prompts, tones, recordResponse) or by the platform's media pods. */
export type MediaHosting = 'serviceHosted' | 'appHosted';

/** Who takes a call: a flow signaling runs, or an app (over NATS and the call-control API); `media` absent = service-hosted. */
export type CallHandler = ({ kind: 'flow'; flowId: string } | { kind: 'app'; app: string }) & { media?: MediaHosting };

/** One call's state in the JetStream KV bucket. */
export interface CallRecord {
  callId: string;
  tenantId: string;
  direction: 'incoming' | 'outgoing';
  state: CallState;
  createdAt: string;
  updatedAt: string;
  caller?: Party;
  handler: CallHandler;
  /** The running flow's state (engine-owned), once the call is established. */
  flow?: { state: IvrState; transferContext?: string };
  /** Events published so far; numbers the next event id. */
  eventCount: number;
  /** Policy-recorded calls: the observed participants whose joining was reported (participantJoiningNotification). */
  policyJoins?: string[];
  /**
   * toneInfo.sequenceIds applied (the latest {@link TONE_MEMORY}). A set, not a high-water mark: after a replica dies,
   * its unacknowledged tone is redelivered after later ones were applied, and it must still count.
   */
  appliedTones: number[];
  /** Final status of operations already reported, so a repeated completion is not reported twice. */
  finishedOperations: string[];
  /** Ids of effects carried out: an effect id is never added again. */
  doneEffects: EffectId[];
  outbox: OutboxItem[];
  /** The armed keepAlive timer; a fired timer with another id is stale. */
  timers: { keepAlive?: string };
  /** Timers armed so far; numbers the next timer id. */
  timerCount: number;
  resultInfo?: ResultInfo;
  /** The call's events, newest last, capped at {@link HISTORY_LIMIT}: what the API shows as its history. */
  history: HistoryEntry[];
  /**
   * App-hosted media: the pod the call was placed on and the id the pod knows it by. Set once; the call stays on
   * that pod. `sessionStarted`: the pod reported the call's media session up (it takes commands now; a flow starts
   * once the call is also established). `lost` says why the pod's media ended before the call did.
   */
  media?: { pod: string; mediaCallId: string; sessionStarted?: boolean; lost?: string };
  /** For calls placed through the API: who asked, and what was asked for. */
  placedBy?: { subject: string; requestId: string };
  /** Group calls and meetings: who is in the call (absent until the first roster notification). */
  roster?: CallRoster;
  /** The bot's own participant id (Graph's `myParticipantId`), for calls placed through the API. */
  myParticipantId?: string;
  /** A service-hosted `record` of the flow, held until Graph accepted its recording status (recordings/recording-gate.ts). */
  recording?: GatedRecording;
}

/** A flow's recordResponse waiting for its grant, or recording under it. */
export interface GatedRecording {
  /** Sent once Graph accepted `updateRecordingStatus(recording)` for `grantId`; its clientContext is the flow's. */
  request: Extract<GraphEffect, { kind: 'recordResponse' }>;
  /** Learnt from the status request recording-compliance makes (`compliance:<grantId>:recording`). */
  grantId?: string;
  /** When recordResponse was released. */
  startedAt?: string;
  /** The armed renewal timer of the grant's lease, and how many were armed (numbers the next timer id). */
  renewalTimer?: string;
  renewals?: number;
}

export interface HistoryEntry {
  at: string;
  type: string;
  eventId: string;
}

/**
 * A deep copy of a record, for the reducer to change. A record is JSON data (it is stored as JSON), so plain objects,
 * arrays and primitives are all there is to copy; this is several times faster than `structuredClone`, which for a
 * record with some history cost more than the rest of applying a notification that changes nothing.
 */
export function copyRecord(record: CallRecord): CallRecord {
  return copyJsonData(record);
}

function copyJsonData<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyJsonData) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = copyJsonData((value as Record<string, unknown>)[key]);
  return copy as T;
}

export const HISTORY_LIMIT = 200;
export const TONE_MEMORY = 200;

/** The record of a call the platform placed, written right after Graph accepted the create request. */
export function newOutgoingRecord(options: {
  callId: string;
  tenantId: string;
  handler: CallHandler;
  target?: Party;
  placedBy: { subject: string; requestId: string };
  media?: CallRecord['media'];
  now: Date;
}): CallRecord {
  const at = options.now.toISOString();
  return {
    callId: options.callId,
    tenantId: options.tenantId,
    direction: 'outgoing',
    state: 'establishing',
    createdAt: at,
    updatedAt: at,
    ...(options.target ? { caller: options.target } : {}),
    handler: options.handler,
    ...freshBookkeeping(),
    ...(options.media ? { media: options.media } : {}),
    placedBy: options.placedBy,
  };
}

/** The counters and lists a new call record starts with. */
export const freshBookkeeping = () => ({
  eventCount: 0,
  appliedTones: [] as number[],
  finishedOperations: [] as string[],
  doneEffects: [] as EffectId[],
  outbox: [] as OutboxItem[],
  timers: {},
  timerCount: 0,
  history: [] as HistoryEntry[],
});
