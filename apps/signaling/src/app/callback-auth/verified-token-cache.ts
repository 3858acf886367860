/**
 * Tokens already verified, so the RS256 check runs once per token rather than once per callback: Graph signs a
 * token for about an hour and sends the same one on many callbacks. Keyed by the token string itself (an exact
 * match of a token whose signature was checked proves as much as checking it again), kept until the token's `exp`
 * (never past `maxAgeMs`), at most `maxEntries` of them, least recently used dropped first. Only accepted tokens
 * are kept; a refused one is checked again on every request. The tokens are never logged or exposed.
 */
export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, { value: T; untilMs: number }>();

  constructor(private readonly options: { maxEntries: number; maxAgeMs: number; now?: () => number }) {}

  get(token: string): T | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    if (entry.untilMs <= this.now()) return undefined;
    this.entries.set(token, entry); // most recently used last
    return entry.value;
  }

  /** Keeps `value` for `token` until `expiresAtSeconds` (the JWT's `exp`); a token without one is not kept. */
  set(token: string, value: T, expiresAtSeconds: number | undefined): void {
    if (expiresAtSeconds === undefined) return;
    const now = this.now();
    const untilMs = Math.min(expiresAtSeconds * 1000, now + this.options.maxAgeMs);
    if (untilMs <= now) return;
    this.entries.delete(token);
    this.entries.set(token, { value, untilMs });
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
