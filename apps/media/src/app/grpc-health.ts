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

export interface GrpcHealth {
  server: HealthServer;
  /** Ends open Watch streams so a graceful server shutdown does not wait on them. */
  endWatches(): void;
}

/** grpc.health.v1: SERVING until drain starts, NOT_SERVING from then on. */
export function createGrpcHealth(calls: CallRegistry): GrpcHealth {
  const watches = new Set<ServerWritableStream<HealthCheckRequest, HealthCheckResponse>>();
  const current = (): ServingStatus => (calls.isDraining ? ServingStatus.NOT_SERVING : ServingStatus.SERVING);

  const server: HealthServer = {
    check(call: ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>, callback: sendUnaryData<HealthCheckResponse>) {
      if (!KNOWN_SERVICES.has(call.request.service)) {
        callback({ code: status.NOT_FOUND, details: `unknown service "${call.request.service}"` });
        return;
      }
      callback(null, { status: current() });
    },

    watch(call: ServerWritableStream<HealthCheckRequest, HealthCheckResponse>) {
      // Every watch stays open (the health protocol), so every one is ended on stop, unknown services too.
      watches.add(call);
      if (!KNOWN_SERVICES.has(call.request.service)) {
        call.on('close', () => watches.delete(call));
        call.write({ status: ServingStatus.SERVICE_UNKNOWN });
        return;
      }
      call.write({ status: current() });
      const onDraining = () => call.write({ status: ServingStatus.NOT_SERVING });
      calls.once('draining', onDraining);
      call.on('close', () => {
        calls.off('draining', onDraining);
        watches.delete(call);
      });
    },
  };

  return {
    server,
    endWatches() {
      for (const call of watches) call.end();
      watches.clear();
    },
  };
}
