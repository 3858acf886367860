import { createGraphClient, type GraphClient, type GraphClientConfig } from '../src/index';
import { FakeGraphServer, testClientId, testTenantId } from './fake-graph-server';

/**
 * A started fake server plus clients pointed at it; `client()` calls are closed by `cleanup()`.
 * Retries wait a few ms by default so bounded-retry tests stay fast.
 */
export interface GraphTestBed {
  server: FakeGraphServer;
  client(overrides?: Partial<GraphClientConfig>): GraphClient;
  cleanup(): Promise<void>;
}

export async function startGraphTestBed(): Promise<GraphTestBed> {
  const server = await FakeGraphServer.start();
  const open: GraphClient[] = [];
  return {
    server,
    client(overrides = {}) {
      const client = createGraphClient({
        authorityHost: server.origin,
        graphBaseUrl: server.graphBaseUrl,
        tenantId: testTenantId,
        clientId: testClientId,
        credential: { clientSecret: 'test-secret' },
        tls: { ca: server.ca },
        retry: { baseDelayMs: 5 },
        ...overrides,
      });
      open.push(client);
      return client;
    },
    async cleanup() {
      await Promise.all(open.splice(0).map((c) => c.close()));
      server.reset();
    },
  };
}

/** A bed for the enclosing `describe`: started before its tests, cleaned after each, closed at the end. */
export function useGraphTestBed(): () => GraphTestBed {
  let bed: GraphTestBed | undefined;
  beforeAll(async () => {
    bed = await startGraphTestBed();
  });
  afterEach(() => bed?.cleanup());
  afterAll(() => bed?.server.close());
  return () => {
    if (!bed) throw new Error('the test bed is used outside a test');
    return bed;
  };
}
