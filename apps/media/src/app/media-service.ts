import { sendUnaryData, ServerUnaryCall, status, UntypedServiceImplementation } from '@grpc/grpc-js';
import { callLogger } from '@switchboard/service-kit';
import { GetLoadRequest, GetLoadResponse, MediaSessionSettings, PrepareCallRequest, PrepareCallResponse } from '@switchboard/media-proto';
import { BridgeLink, MediaSessionError } from './bridge-link';
import { CallRefusedError } from './call-registry';
import { CallStreamDeps, handleCallStream } from './call-stream';
import { openProblem } from './frame-validation';
import { AttachStreamDeps, handleAttachStream } from './attach-stream';

export interface MediaEndpoint {
  /** Address the media platform dials to open the call's stream (this pod's gRPC port). */
  streamTarget: string;
  /** The pod's media bridge; when one is connected it creates each call's media session. */
  bridge: BridgeLink;
  /** Without a connected bridge, refuse PrepareCall instead of answering for the emulator. */
  bridgeRequired?: boolean;
}

/** Handlers for switchboard.media.v1.MediaService. */
export function createMediaService(deps: CallStreamDeps & MediaEndpoint & AttachStreamDeps): UntypedServiceImplementation {
  return {
    prepareCall(call: ServerUnaryCall<PrepareCallRequest, PrepareCallResponse>, callback: sendUnaryData<PrepareCallResponse>) {
      const { callId, settings } = call.request;
      // Same rules as the stream's open message, so a prepared call can always open.
      const problem = openProblem({ open: { callId, settings } });
      if (problem) {
        callback({ code: status.INVALID_ARGUMENT, details: problem.replace(/^open\./, '') });
        return;
      }
      try {
        deps.calls.prepare(callId);
      } catch (err) {
        if (!(err instanceof CallRefusedError)) throw err;
        const code = err.reason === 'duplicate' ? status.ALREADY_EXISTS : status.FAILED_PRECONDITION;
        callLogger(deps.logger, callId).warn({ reason: err.reason }, err.message);
        callback({ code, details: err.message });
        return;
      }
      if (!deps.bridge.connected && !deps.bridgeRequired) {
        // No bridge (the emulator is the frame source): the blob tells it where to stream.
        callLogger(deps.logger, callId).info({ podName: deps.podName }, 'call prepared');
        const blob = JSON.stringify({ podName: deps.podName, streamTarget: deps.streamTarget, callId, settings });
        callback(null, { podName: deps.podName, mediaConfigurationBlob: blob });
        return;
      }
      // A required bridge that is not connected refuses in createSession, like any other session failure.
      deps.bridge.createSession(callId, settings ?? MediaSessionSettings.fromPartial({})).then(
        (blob) => {
          callLogger(deps.logger, callId).info({ podName: deps.podName }, 'call prepared');
          callback(null, { podName: deps.podName, mediaConfigurationBlob: blob });
        },
        (err: unknown) => {
          deps.calls.unprepare(callId);
          const details = err instanceof MediaSessionError ? err.message : String(err);
          callLogger(deps.logger, callId).warn({ reason: details }, 'media session not created');
          callback({ code: status.UNAVAILABLE, details: `pod ${deps.podName}: ${details}` });
        },
      );
    },

    connectBridge: (stream: Parameters<BridgeLink['attach']>[0]) => {
      void deps.bridge.attach(stream);
    },

    getLoad(_call: ServerUnaryCall<GetLoadRequest, GetLoadResponse>, callback: sendUnaryData<GetLoadResponse>) {
      callback(null, { podName: deps.podName, ...deps.calls.load() });
    },

    streamCall: (stream: Parameters<typeof handleCallStream>[0]) => {
      void handleCallStream(stream, deps);
    },

    attachCall: (stream: Parameters<typeof handleAttachStream>[0]) => {
      void handleAttachStream(stream, deps);
    },
  };
}
