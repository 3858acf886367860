import type { AnswerRequest, ContextOnlyRequest, PlayPromptRequest } from '@switchboard/graph-models';
import type { CallEvent, CallInput } from '@switchboard/nats-contracts';

/** The Graph actions orchestration uses; the Graph client's CallsClient satisfies it. */
export interface CallControlPort {
  answer(callId: string, body: AnswerRequest): Promise<unknown>;
  playPrompt(callId: string, body: PlayPromptRequest): Promise<unknown>;
  subscribeToTone(callId: string, body: ContextOnlyRequest): Promise<unknown>;
  keepAlive(callId: string): Promise<unknown>;
}

export interface EventPublisher {
  publish(event: CallEvent): Promise<void>;
}

/** Puts an input on the call's inputs stream (idempotent per timer id / request id). */
export interface InputScheduler {
  schedule(callId: string, input: CallInput): Promise<void>;
}

/** A failure retrying cannot fix (Graph refused the request): the effect is dropped and reported. */
export type FailureKind = 'permanent' | 'transient';
export type FailureClassifier = (error: unknown) => FailureKind;
