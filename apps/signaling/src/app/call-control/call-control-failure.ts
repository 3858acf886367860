import { GraphClientError, GraphError, GraphRequestError } from '@switchboard/graph-client';
import type { CallState } from '@switchboard/graph-models';
import { failure, type ApiFailure } from '@switchboard/api-auth';

export const callNotFound = (callId: string): ApiFailure => failure(404, 'CallNotFound', `call ${callId} is not known here`);

export const wrongState = (callId: string, action: string, state: CallState, allowed: string): ApiFailure =>
  failure(409, 'WrongState', `${action} is not possible: call ${callId} is ${state}, and ${action} needs ${allowed}`);

/** Graph refused (its 4xx, code and message pass through) or could not be reached (502); anything else is rethrown. */
export function fromGraph(error: unknown): ApiFailure {
  if (error instanceof GraphError && error.status >= 400 && error.status < 500) {
    return failure(error.status, error.code, `Graph refused the request: ${error.graphMessage}`);
  }
  if (error instanceof GraphRequestError) return failure(400, 'InvalidRequest', `invalid request for Graph: ${error.field}: ${error.message}`);
  if (error instanceof GraphError) return failure(502, 'GraphUnavailable', `Graph failed with ${error.status} ${error.code}: ${error.graphMessage}`);
  // Timeouts, connection failures, token failures, malformed answers: the outcome at Graph is unknown.
  if (error instanceof GraphClientError) return failure(502, 'GraphUnavailable', `Graph did not complete the request: ${error.message}`);
  throw error;
}
