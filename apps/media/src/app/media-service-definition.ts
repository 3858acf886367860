import type { ServiceDefinition } from '@grpc/grpc-js';
import { MediaServiceService, StreamCallRequest } from '@switchboard/media-proto';
import { IncomingRequest } from './frame-validation';

/**
 * grpc-js answers INTERNAL when a request fails to decode. A corrupt frame is the client's
 * fault, so StreamCall decodes tolerantly and lets the handler answer INVALID_ARGUMENT.
 */
function decodeStreamRequest(bytes: Buffer): IncomingRequest {
  try {
    return StreamCallRequest.decode(bytes);
  } catch (err) {
    return { undecodable: err instanceof Error ? err.message : String(err) };
  }
}

export const mediaServiceDefinition: ServiceDefinition = {
  ...MediaServiceService,
  streamCall: { ...MediaServiceService.streamCall, requestDeserialize: decodeStreamRequest },
};
