import { OpenCall, StreamCallRequest, StreamCallResponse } from '@switchboard/media-proto';
import type { CallOutcome } from './media-metrics';

/** Where a handler sends what goes back on the call's stream at its own pace (paced audio, events). */
export interface CallOutput {
  /** Queues a response; never blocks (bounded: the oldest frame goes when the platform reads too slowly). */
  send(response: StreamCallResponse): void;
}

/**
 * What the pod does with a call's media: it sees every valid frame and platform event of a call
 * (after `open`) and returns what goes back on the call's stream (outbound audio or video, events).
 */
export interface CallMediaHandler {
  /** The call's stream opened; `output` stays usable until `onEnded`. */
  onOpened?(callId: string, open: OpenCall, output: CallOutput): void;
  onRequest(callId: string, request: StreamCallRequest): readonly StreamCallResponse[] | undefined;
  /** The call's stream ended, either side; `details` says why when it did not end cleanly. */
  onEnded?(callId: string, outcome: CallOutcome, details?: string): void;
}
