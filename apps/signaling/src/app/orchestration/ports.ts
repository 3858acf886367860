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

export interface StoredRecording {
  bucket: string;
  name: string;
  bytes: number;
  contentType: string;
}

/** Fetches a recording from Graph (`recordingLocation` + `recordingAccessToken`) and keeps it. */
export interface RecordingStore {
  store(name: string, location: string, accessToken: string): Promise<StoredRecording>;
}

/**
 * `transient`: retry later. `permanent`: Graph refused the request; the effect is dropped and reported. `gone`: the
 * call no longer exists at Graph (the other party hung up first); dropped and reported too, but expected, not an error.
 */
export type FailureKind = 'permanent' | 'transient' | 'gone';
export type FailureClassifier = (error: unknown) => FailureKind;
