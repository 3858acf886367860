import type { z } from 'zod';

/** A refusal of one of the platform's APIs: the HTTP status, a stable code and a message saying why. */
export interface ApiFailure {
  status: number;
  code: string;
  message: string;
}

export function isApiFailure(value: unknown): value is ApiFailure {
  const v = value as Partial<ApiFailure> | null;
  // A plain refusal object, not an Error that happens to carry status and code (a GraphError does).
  return (
    typeof v === 'object' && v !== null && !(v instanceof Error) && typeof v.status === 'number' && typeof v.code === 'string' && typeof v.message === 'string'
  );
}

export const failure = (status: number, code: string, message: string): ApiFailure => ({ status, code, message });

/** A body or payload that failed its schema; the message names each field. */
export function invalidRequest(error: z.ZodError, what = 'body'): ApiFailure {
  const issues = error.issues.map((i) => `${i.path.length ? i.path.join('.') : `(${what})`}: ${i.message}`);
  return failure(400, 'InvalidRequest', `invalid ${what}: ${issues.join('; ')}`);
}

/** The value `schema` makes of `value`, or an InvalidRequest refusal naming each field of `what`. */
export function parseOrRefuse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidRequest(parsed.error, what);
  return parsed.data;
}

/** The body every REST refusal carries. */
export const failureBody = (refusal: ApiFailure) => ({ statusCode: refusal.status, code: refusal.code, message: refusal.message });

/** RFC 6750: `invalid_token` with the reason, or a bare challenge when no token was sent. */
export function bearerChallenge(refusal: ApiFailure, authorization: string | undefined): string {
  if (!authorization) return 'Bearer realm="switchboard"';
  return `Bearer realm="switchboard", error="invalid_token", error_description="${refusal.message.replace(/["\\]/g, "'")}"`;
}
