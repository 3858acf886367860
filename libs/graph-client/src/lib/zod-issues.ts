import type { z } from 'zod';

/** The dotted path of the first failing field (`targets.0.identity`), or `body` when the whole value failed. */
export function firstIssuePath(error: z.ZodError): string {
  const path = error.issues[0]?.path ?? [];
  return path.length > 0 ? path.map(String).join('.') : 'body';
}

/** One line naming each failing field and why: `acceptedModalities: needs at least one modality; …`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
