import { randomUUID } from 'node:crypto';
import { newOutgoingRecord, type CallRecord } from '../src/app/orchestration/call-record';
import { keepAliveTimerId } from '../src/app/orchestration/effect-ids';
import type { BenchRequest } from './load-generator';

/**
 * Graph-shaped traffic for the webhook: each request is a one-notification batch, an `updated` for a call nobody
 * knows (a fresh id each time), so every notification is distinct (none is dropped as a duplicate) and no Graph
 * request follows. The consumer finds no record, sees that no call was placed lately and that the call was not
 * notified before (so no record can follow), and acknowledges: one delivery each.
 */
export function unknownCallUpdates(tokens: readonly string[]): () => BenchRequest {
  return callUpdates(tokens, () => randomUUID());
}

/**
 * The same `updated` notification, for calls the platform knows: `callIds` in turn, each the record of an
 * established call (see `establishedCallRecord`). Graph repeats a call's state on such updates (a media or
 * transfer change, say); applying one again changes nothing, so no Graph request follows either. The consumer
 * reads the record once per notification and acknowledges, one delivery each.
 */
export function knownCallUpdates(tokens: readonly string[], callIds: readonly string[]): () => BenchRequest {
  if (callIds.length === 0) throw new Error('knownCallUpdates needs at least one call');
  let call = 0;
  return callUpdates(tokens, () => callIds[call++ % callIds.length]);
}

/** One established call the platform placed, as its state store holds it once the call is under way. */
export function establishedCallRecord(callId: string, tenantId: string, now: Date): CallRecord {
  return {
    ...newOutgoingRecord({ callId, tenantId, handler: { kind: 'app', app: 'bench' }, placedBy: { subject: 'bench', requestId: callId }, now }),
    state: 'established',
    timers: { keepAlive: keepAliveTimerId(callId, 1) },
    timerCount: 1,
  };
}

function callUpdates(tokens: readonly string[], nextCallId: () => string): () => BenchRequest {
  if (tokens.length === 0) throw new Error('the webhook traffic needs at least one token');
  // Tokens are signed before the run: signing is Graph's cost. The server still verifies every request's token.
  const authorizations = tokens.map((t) => `Bearer ${t}`);
  let next = 0;
  return () => {
    const callId = nextCallId();
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
