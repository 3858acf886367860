import { Agent } from 'undici';

export interface GraphTlsOptions {
  /** PEM of the CA that signed the authority's and Graph's certificates; replaces the default roots when set. */
  ca?: string;
}

/**
 * One connection pool per client, shared by token requests and Graph calls. A `ca` given here works
 * in-process (under Jest too), where NODE_EXTRA_CA_CERTS would only apply if set before Node started.
 */
export function createGraphDispatcher(tls: GraphTlsOptions | undefined): Agent {
  return new Agent({
    connect: tls?.ca ? { ca: tls.ca } : {},
    keepAliveTimeout: 30_000,
    // Bounded per origin: under load, requests wait for a kept-alive connection instead of opening (and TLS-handshaking)
    // a new one each; Graph's own throttling makes more parallel requests per replica no faster.
    connections: 64,
  });
}
