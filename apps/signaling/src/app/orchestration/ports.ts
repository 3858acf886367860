import type {
  AnswerRequest,
  CommsOperation,
  ContextOnlyRequest,
  InviteParticipantsRequest,
  PlayPromptRequest,
  RecordResponseRequest,
  RedirectRequest,
  RejectRequest,
  TransferRequest,
  UpdateRecordingStatusRequest,
} from '@switchboard/graph-models';
import type { WebhookPayload } from '@switchboard/ivr-engine';
import type { CallEvent, CallInput, MediaCommandOf } from '@switchboard/nats-contracts';

/** The Graph actions orchestration uses; the Graph client's CallsClient satisfies it. */
export interface CallControlPort {
  answer(callId: string, body: AnswerRequest): Promise<unknown>;
  reject(callId: string, body: RejectRequest): Promise<unknown>;
  playPrompt(callId: string, body: PlayPromptRequest): Promise<unknown>;
  subscribeToTone(callId: string, body: ContextOnlyRequest): Promise<unknown>;
  cancelMediaProcessing(callId: string, body: ContextOnlyRequest): Promise<unknown>;
  recordResponse(callId: string, body: RecordResponseRequest): Promise<unknown>;
  transfer(callId: string, body: TransferRequest): Promise<unknown>;
  redirect(callId: string, body: RedirectRequest): Promise<unknown>;
  inviteParticipants(callId: string, body: InviteParticipantsRequest): Promise<CommsOperation | unknown>;
  hangUp(callId: string): Promise<unknown>;
  keepAlive(callId: string): Promise<unknown>;
  updateRecordingStatus(callId: string, body: UpdateRecordingStatusRequest): Promise<CommsOperation>;
}

/** The media verbs a flow uses on an app-hosted call. */
export type FlowMediaVerb = 'play' | 'record' | 'cancel';

/**
 * Commands to the media session of an app-hosted call, answered by the pod hosting it. Resolves once the pod took the
 * command; throws {@link MediaCommandRefused} when it refused it or nobody hosts the session (retrying cannot help).
 */
export interface MediaSessionPort {
  command<V extends FlowMediaVerb>(mediaCallId: string, verb: V, body: MediaCommandOf<V>): Promise<void>;
}

/** The media pod refused a command, or no pod hosts the call's session: reported to the flow like a Graph refusal. */
export class MediaCommandRefused extends Error {
  override readonly name = 'MediaCommandRefused';
}

export interface EventPublisher {
  publish(event: CallEvent): Promise<void>;
}

/** Puts an input on the call's inputs stream (idempotent per timer id / request id). */
export interface InputScheduler {
  schedule(callId: string, input: CallInput): Promise<void>;
}

export interface FlowWebhookAnswer {
  ok: boolean;
  status?: number;
  body?: unknown;
  error?: string;
}

/** Signed requests to the customer's app for a flow's next steps. Never throws: a failure is an answer too. */
export interface FlowWebhookClient {
  ask(url: string, payload: WebhookPayload, timeoutMs: number): Promise<FlowWebhookAnswer>;
}

/** A recorded message as libs/recording-store committed it. */
export interface StoredRecording {
  recordingId: string;
  container: string;
  blobName: string;
  bytes: number;
  contentType: string;
  sha256: string;
}

/** What is known of a recorded message besides its bytes: the call, the grant it was recorded under, when. */
export interface RecordingToStore {
  callId: string;
  tenantId?: string;
  grantId: string;
  /** Graph's recordingLocation and recordingAccessToken (the token only for this download). */
  location: string;
  accessToken: string;
  participants: { id: string; displayName?: string }[];
  startedAt: Date;
  endedAt: Date;
}

/** Fetches a recording from Graph and writes it under its grant's lease. */
export interface RecordingStore {
  store(recording: RecordingToStore): Promise<StoredRecording>;
}

/** recording-compliance's grants as signaling, the recorder of service-hosted calls, uses them. */
export interface RecordingGrants {
  /** Asks for a grant without waiting for Graph: its id comes back in the status request, its outcome as inputs. */
  start(callId: string): Promise<void>;
  /** Ends the grant after the last write (then `notRecording` is sent); a grant already ended is no error. */
  stop(lease: { grantId: string; callId: string }): Promise<void>;
  /** Renews the lease while Graph records; a grant already ended is no error (its end reaches the call as `failed`). */
  renew(lease: { grantId: string; callId: string }): Promise<void>;
}

/**
 * `transient`: retry later. `permanent`: Graph refused the request; the effect is dropped and reported. `gone`: the
 * call no longer exists at Graph (the other party hung up first); dropped and reported too, but expected, not an error.
 */
export type FailureKind = 'permanent' | 'transient' | 'gone';
export type FailureClassifier = (error: unknown) => FailureKind;
