import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { MediaServiceClient, type PrepareCallRequest, type PrepareCallResponse } from '@switchboard/media-proto';

/** PrepareCall on one media pod, by its gRPC target. */
export interface PrepareCallPort {
  prepareCall(target: string, request: PrepareCallRequest, timeoutMs: number): Promise<PrepareCallResponse>;
}

/** A pod answered PrepareCall with an error (or not at all within the deadline). */
export class PodRefusedCall extends Error {
  override readonly name = 'PodRefusedCall';
  constructor(
    readonly target: string,
    readonly code: status,
    details: string,
  ) {
    super(`${status[code] ?? code}: ${details}`);
  }
}

/** One grpc-js channel per pod target, reused across calls; insecure because the pods are reached inside the cluster. */
export class GrpcMediaPods implements PrepareCallPort {
  private readonly clients = new Map<string, MediaServiceClient>();

  prepareCall(target: string, request: PrepareCallRequest, timeoutMs: number): Promise<PrepareCallResponse> {
    const client = this.client(target);
    return new Promise((resolve, reject) => {
      client.prepareCall(request, new Metadata(), { deadline: Date.now() + timeoutMs }, (error: ServiceError | null, response?: PrepareCallResponse) => {
        if (error) reject(new PodRefusedCall(target, error.code, error.details || error.message));
        else if (!response?.mediaConfigurationBlob) reject(new PodRefusedCall(target, status.INTERNAL, 'PrepareCall answered without a media configuration blob'));
        else resolve(response);
      });
    });
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private client(target: string): MediaServiceClient {
    let client = this.clients.get(target);
    if (!client) {
      client = new MediaServiceClient(target, credentials.createInsecure());
      this.clients.set(target, client);
    }
    return client;
  }
}
