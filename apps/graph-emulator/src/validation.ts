import type { z } from 'zod';
import { badRequest } from './http-kit';

/** Validates a request body with a graph-models schema; the 400 names the first offending field. */
export function validate<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : 'body';
  throw badRequest(`Invalid request body: ${field}: ${issue?.message ?? 'is invalid'}`);
}
