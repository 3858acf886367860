import { backoffDelayMs } from './backoff';
import { settlementFor, type SettlementPolicy } from './settlement';

const policy: SettlementPolicy = { maxDeliver: 5, backoff: { baseMs: 1000, maxMs: 30_000 } };

describe('backoffDelayMs', () => {
  it('doubles from the base per delivery and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(n, policy.backoff))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('treats a count below one as the first delivery and never overflows', () => {
    expect(backoffDelayMs(0)).toBe(1000);
    expect(backoffDelayMs(10_000, { baseMs: 10, maxMs: 500 })).toBe(500);
  });
});

describe('settlementFor', () => {
  it('acks what was done', () => {
    expect(settlementFor({ kind: 'done' }, 1, policy)).toEqual({ kind: 'ack' });
  });

  it('naks a transient failure with backoff, or with the delay the handler asked for', () => {
    expect(settlementFor({ kind: 'retry', reason: 'graph 503' }, 3, policy)).toEqual({ kind: 'nak', delayMs: 4000, held: false });
    expect(settlementFor({ kind: 'retry', reason: 'throttled', delayMs: 7000 }, 1, policy)).toEqual({ kind: 'nak', delayMs: 7000, held: false });
  });

  it('dead-letters a failure on the last delivery, then acks', () => {
    expect(settlementFor({ kind: 'retry', reason: 'graph 503' }, 5, policy)).toEqual({
      kind: 'dead-letter',
      reason: 'failed on delivery 5 of 5: graph 503',
      then: 'ack',
    });
  });

  it('holds without counting a failure, also past the last delivery', () => {
    expect(settlementFor({ kind: 'hold', delayMs: 2500 }, 1, policy)).toEqual({ kind: 'nak', delayMs: 2500, held: true });
    expect(settlementFor({ kind: 'hold', delayMs: -5 }, 5, policy)).toEqual({ kind: 'nak', delayMs: 0, held: true });
  });

  it('dead-letters on the handler’s word, then acks', () => {
    expect(settlementFor({ kind: 'dead-letter', reason: 'uninterpretable: no resource' }, 1, policy)).toEqual({
      kind: 'dead-letter',
      reason: 'uninterpretable: no resource',
      then: 'ack',
    });
  });

  it('terms only what cannot be decoded, after dead-lettering it', () => {
    expect(settlementFor({ kind: 'undecodable', reason: 'not JSON' }, 1, policy)).toEqual({ kind: 'dead-letter', reason: 'undecodable: not JSON', then: 'term' });
  });

  it('dead-letters a message delivered beyond the last delivery without asking the handler again', () => {
    expect(settlementFor({ kind: 'exhausted', deliveries: 6 }, 6, policy)).toEqual({
      kind: 'dead-letter',
      reason: 'not settled after 6 deliveries (limit 5)',
      then: 'ack',
    });
  });
});
