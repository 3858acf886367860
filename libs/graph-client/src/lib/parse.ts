import type { z } from 'zod';
import { GraphRequestError, GraphResponseError } from './errors';
import type { GraphResponse } from './http';
import { describeIssues, firstIssuePath } from './zod-issues';

/** Checks a request body before anything is sent; the error names the first bad field. */
export function validateBody<S extends z.ZodType>(schema: S, body: unknown, action: string): z.input<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new GraphRequestError(`invalid ${action} body: ${describeIssues(result.error)}`, firstIssuePath(result.error));
  }
  // The caller's body is sent as built; the schema only vouches for it.
  return body as z.input<S>;
}

/** Reads a 2xx body with a graph-models schema; a mismatch is Graph's (or the emulator's) fault, not the caller's. */
export function parseResponse<S extends z.ZodType>(schema: S, response: GraphResponse): z.output<S> {
  const result = schema.safeParse(response.body);
  if (!result.success) {
    throw new GraphResponseError(response.request, response.status, describeIssues(result.error));
  }
  return result.data;
}
