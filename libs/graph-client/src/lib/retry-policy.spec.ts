import { parseRetryAfter, retryDelayMs, type RetryOptions } from './retry-policy';

const options: RetryOptions = { maxRetries: 3, maxDelayMs: 30_000, baseDelayMs: 500 };
const now = Date.parse('2026-01-01T00:00:00Z');

describe('Retry-After', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
  });
});

describe('retry delay', () => {
  it('follows Retry-After but never beyond maxDelayMs', () => {
    expect(retryDelayMs(1, '2', options, now)).toBe(2000);
    expect(retryDelayMs(1, '600', options, now)).toBe(30_000);
  });

  it('backs off exponentially with jitter in [step/2, step] when Graph gives no hint', () => {
    expect(retryDelayMs(1, undefined, options, now, () => 0)).toBe(250);
    expect(retryDelayMs(1, undefined, options, now, () => 1)).toBe(500);
    expect(retryDelayMs(3, undefined, options, now, () => 1)).toBe(2000);
    expect(retryDelayMs(3, 'garbage', options, now, () => 0)).toBe(1000);
    expect(retryDelayMs(20, undefined, options, now, () => 1)).toBe(30_000);
  });
});
