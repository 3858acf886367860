import { GraphClientError, GraphError, GraphRequestError } from '@switchboard/graph-client';
import { failure, type ApiFailure } from './api-failure';

/**
 * A Graph failure as a REST refusal: Graph's 4xx, code and message pass through; an invalid request is 400; Graph
 * 5xx, timeouts, connection and token failures are 502 (the outcome at Graph is unknown). Anything else is rethrown.
 */
export function fromGraph(error: unknown): ApiFailure {
  if (error instanceof GraphError && error.status >= 400 && error.status < 500) {
    return failure(error.status, error.code, `Graph refused the request: ${error.graphMessage}`);
  }
  if (error instanceof GraphRequestError) return failure(400, 'InvalidRequest', `invalid request for Graph: ${error.field}: ${error.message}`);
  if (error instanceof GraphError) return failure(502, 'GraphUnavailable', `Graph failed with ${error.status} ${error.code}: ${error.graphMessage}`);
  if (error instanceof GraphClientError) return failure(502, 'GraphUnavailable', `Graph did not complete the request: ${error.message}`);
  throw error;
}
