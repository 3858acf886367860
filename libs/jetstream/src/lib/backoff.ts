export interface BackoffOptions {
  /** Wait after the first delivery; doubles per delivery. */
  baseMs: number;
  /** Longest wait. */
  maxMs: number;
}

export const defaultBackoff: BackoffOptions = { baseMs: 1000, maxMs: 30_000 };

/** Wait before the next delivery after `deliveryCount` deliveries (1-based): exponential from `baseMs`, capped. */
export function backoffDelayMs(deliveryCount: number, options: BackoffOptions = defaultBackoff): number {
  const exponent = Math.min(30, Math.max(0, deliveryCount - 1));
  return Math.min(options.maxMs, options.baseMs * 2 ** exponent);
}
