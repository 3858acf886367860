import { StreamCallRequest, StreamCallResponse } from '@switchboard/media-proto';

/**
 * What the pod does with a call's media: it sees every valid frame and platform event of a call
 * (after `open`) and returns what goes back on the call's stream (outbound audio or video, events).
 */
export interface CallMediaHandler {
  onRequest(callId: string, request: StreamCallRequest): readonly StreamCallResponse[] | undefined;
  /** The call's stream ended, either side. */
  onEnded?(callId: string): void;
}
