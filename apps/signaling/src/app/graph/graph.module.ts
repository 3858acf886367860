import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { createGraphClient, graphTokenReadiness, graphClientConfigFromEnv, type GraphClient } from '@switchboard/graph-client';
import { APP_CONFIG, HealthRegistry } from '@switchboard/service-kit';
import type { SignalingConfig } from '../config';
import { GRAPH_CLIENT } from '../tokens';

/** The Graph client (msal-node app token + calls API) and a readiness check that a token can be had. */
@Global()
@Module({
  providers: [
    {
      provide: GRAPH_CLIENT,
      useFactory: (config: SignalingConfig, health: HealthRegistry) => {
        const client = createGraphClient(graphClientConfigFromEnv(config));
        health.register('graph-token', graphTokenReadiness(client));
        return client;
      },
      inject: [APP_CONFIG, HealthRegistry],
    },
  ],
  exports: [GRAPH_CLIENT],
})
export class GraphModule implements OnApplicationShutdown {
  constructor(@Inject(GRAPH_CLIENT) private readonly client: GraphClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
