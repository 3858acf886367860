import { sendUnaryData, ServerUnaryCall, ServerWritableStream, status } from '@grpc/grpc-js';
import {
  HealthCheckRequest,
  HealthCheckResponse,
  HealthCheckResponse_ServingStatus as ServingStatus,
  HealthServer,
} from '@switchboard/media-proto';
import { CallRegistry } from './call-registry';

/** Services this server reports on; "" is the server as a whole. */
export const MEDIA_SERVICE_NAME = 'switchboard.media.v1.MediaService';
const KNOWN_SERVICES = new Set(['', MEDIA_SERVICE_NAME]);

/** grpc.health.v1: SERVING until drain starts, NOT_SERVING from then on. */
export function createHealthServer(calls: CallRegistry): HealthServer {
  const current = (): ServingStatus => (calls.isDraining ? ServingStatus.NOT_SERVING : ServingStatus.SERVING);

  return {
    check(call: ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>, callback: sendUnaryData<HealthCheckResponse>) {
      if (!KNOWN_SERVICES.has(call.request.service)) {
        callback({ code: status.NOT_FOUND, details: `unknown service "${call.request.service}"` });
        return;
      }
      callback(null, { status: current() });
    },

    watch(call: ServerWritableStream<HealthCheckRequest, HealthCheckResponse>) {
      if (!KNOWN_SERVICES.has(call.request.service)) {
        call.write({ status: ServingStatus.SERVICE_UNKNOWN });
        return;
      }
      call.write({ status: current() });
      const onDraining = () => call.write({ status: ServingStatus.NOT_SERVING });
      calls.once('draining', onDraining);
      call.on('cancelled', () => calls.off('draining', onDraining));
    },
  };
}
