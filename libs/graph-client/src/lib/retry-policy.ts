export interface RetryOptions {
  /** Retries after the first attempt (0 disables retrying). */
  maxRetries: number;
  /** Upper bound of one wait, also applied to a longer `Retry-After`. */
  maxDelayMs: number;
  /** First backoff step when Graph sends no `Retry-After`; doubles per retry. */
  baseDelayMs: number;
}

export const defaultRetryOptions: RetryOptions = { maxRetries: 3, maxDelayMs: 30_000, baseDelayMs: 500 };

/** Throttled or briefly unavailable: Graph asks clients to come back (429 with Retry-After, 503, 504). */
export const retryableStatuses: ReadonlySet<number> = new Set([429, 503, 504]);

/** Connection failures where retrying with the same client-request-id is the documented remedy. */
export const retryableNetworkCodes: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

/** `Retry-After` as delta-seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names its month; bare numbers like "-3" would otherwise parse as years.
  if (!/[A-Za-z]{3}/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Wait before retry number `retry` (1-based): Graph's `Retry-After` when given, else exponential backoff with
 * equal jitter (half fixed, half random) so that many clients throttled together do not return together.
 */
export function retryDelayMs(
  retry: number,
  retryAfter: string | undefined,
  options: RetryOptions,
  now: number = Date.now(),
  random: () => number = Math.random,
): number {
  const asked = parseRetryAfter(retryAfter, now);
  if (asked !== undefined) return Math.min(asked, options.maxDelayMs);
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.round(step / 2 + (step / 2) * random());
}
