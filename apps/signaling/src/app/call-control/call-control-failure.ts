import { GraphClientError, GraphError, GraphRequestError } from '@switchboard/graph-client';
import type { CallState } from '@switchboard/graph-models';
import type { z } from 'zod';

/** A refusal of the call-control API: the HTTP status, a stable code and a message saying why. */
export interface CallControlFailure {
  status: number;
  code: string;
  message: string;
}

export function isCallControlFailure(value: unknown): value is CallControlFailure {
  const v = value as Partial<CallControlFailure> | null;
  // A plain refusal object, not an Error that happens to carry status and code (a GraphError does).
  return (
    typeof v === 'object' && v !== null && !(v instanceof Error) && typeof v.status === 'number' && typeof v.code === 'string' && typeof v.message === 'string'
  );
}

export const failure = (status: number, code: string, message: string): CallControlFailure => ({ status, code, message });

export const callNotFound = (callId: string): CallControlFailure => failure(404, 'CallNotFound', `call ${callId} is not known here`);

export const wrongState = (callId: string, action: string, state: CallState, allowed: string): CallControlFailure =>
  failure(409, 'WrongState', `${action} is not possible: call ${callId} is ${state}, and ${action} needs ${allowed}`);

/** A body or payload that failed its schema; the message names each field. */
export function invalidRequest(error: z.ZodError, what = 'body'): CallControlFailure {
  const issues = error.issues.map((i) => `${i.path.length ? i.path.join('.') : `(${what})`}: ${i.message}`);
  return failure(400, 'InvalidRequest', `invalid ${what}: ${issues.join('; ')}`);
}

/** Graph refused (its 4xx, code and message pass through) or could not be reached (502); anything else is rethrown. */
export function fromGraph(error: unknown): CallControlFailure {
  if (error instanceof GraphError && error.status >= 400 && error.status < 500) {
    return failure(error.status, error.code, `Graph refused the request: ${error.graphMessage}`);
  }
  if (error instanceof GraphRequestError) return failure(400, 'InvalidRequest', `invalid request for Graph: ${error.field}: ${error.message}`);
  if (error instanceof GraphError) return failure(502, 'GraphUnavailable', `Graph failed with ${error.status} ${error.code}: ${error.graphMessage}`);
  // Timeouts, connection failures, token failures, malformed answers: the outcome at Graph is unknown.
  if (error instanceof GraphClientError) return failure(502, 'GraphUnavailable', `Graph did not complete the request: ${error.message}`);
  throw error;
}
