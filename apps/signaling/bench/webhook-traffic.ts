import { randomUUID } from 'node:crypto';
import type { BenchRequest } from './load-generator';

/**
 * Graph-shaped traffic for the webhook: each request is a one-notification batch, an `updated` for a call nobody
 * knows (a fresh id each time), so every notification is distinct (none is dropped as a duplicate) and no Graph
 * request follows. The consumer reads the call-state bucket twice per notification (an unknown call gets a second
 * look a second later, in case its record is still being written) and acknowledges; the backlog figures include
 * that second.
 */
export function unknownCallUpdates(tokens: readonly string[]): () => BenchRequest {
  if (tokens.length === 0) throw new Error('unknownCallUpdates needs at least one token');
  // Tokens are signed before the run: signing is Graph's cost. The server still verifies every request's token.
  const authorizations = tokens.map((t) => `Bearer ${t}`);
  let next = 0;
  return () => {
    const callId = randomUUID();
    const body = JSON.stringify({
      value: [
        {
          changeType: 'updated',
          resourceUrl: `/communications/calls/${callId}`,
          resourceData: { '@odata.type': '#microsoft.graph.call', id: callId, state: 'established' },
        },
      ],
    });
    const authorization = authorizations[next++ % authorizations.length];
    return { body, headers: { 'content-type': 'application/json', authorization } };
  };
}
