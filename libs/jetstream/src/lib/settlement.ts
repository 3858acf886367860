import { backoffDelayMs, type BackoffOptions } from './backoff';

/** What a handler decided about one message. */
export type Decision =
  /** Handled (or deliberately skipped): ack. `note` labels the decision for the service's own metrics. */
  | { kind: 'done'; note?: string }
  /** A transient failure: deliver again after `delayMs` (backoff when absent); after the last delivery, dead-letter. */
  | { kind: 'retry'; reason: string; delayMs?: number }
  /** Not yet (a timer not due, a record not written yet): deliver again after `delayMs`; not a failure. */
  | { kind: 'hold'; delayMs: number }
  /** Will never succeed: store it in the dead-letter stream, then ack. */
  | { kind: 'dead-letter'; reason: string; note?: string };

/** What the worker found before asking a handler. */
export type Finding =
  | { kind: 'undecodable'; reason: string }
  /** Delivered beyond the last delivery: its last handling failed, or its dead-letter could not be stored. */
  | { kind: 'exhausted'; deliveries: number };

export type Settlement =
  | { kind: 'ack' }
  | { kind: 'nak'; delayMs: number; held: boolean }
  | { kind: 'dead-letter'; reason: string; then: 'ack' | 'term' };

export interface SettlementPolicy {
  /** Deliveries a message gets (holds included); a failure on the last one dead-letters it. */
  maxDeliver: number;
  backoff: BackoffOptions;
}

/**
 * The one settlement policy: ack on success; nak with backoff on a transient error; dead-letter (then ack) after
 * the last delivery or when the handler says so; dead-letter then term only when the message cannot be decoded.
 */
export function settlementFor(outcome: Decision | Finding, deliveryCount: number, policy: SettlementPolicy): Settlement {
  switch (outcome.kind) {
    case 'done':
      return { kind: 'ack' };
    case 'hold':
      return { kind: 'nak', delayMs: Math.max(0, outcome.delayMs), held: true };
    case 'dead-letter':
      return { kind: 'dead-letter', reason: outcome.reason, then: 'ack' };
    case 'undecodable':
      return { kind: 'dead-letter', reason: `undecodable: ${outcome.reason}`, then: 'term' };
    case 'exhausted':
      return { kind: 'dead-letter', reason: `not settled after ${outcome.deliveries} deliveries (limit ${policy.maxDeliver})`, then: 'ack' };
    case 'retry':
      if (deliveryCount >= policy.maxDeliver) {
        return { kind: 'dead-letter', reason: `failed on delivery ${deliveryCount} of ${policy.maxDeliver}: ${outcome.reason}`, then: 'ack' };
      }
      return { kind: 'nak', delayMs: outcome.delayMs ?? backoffDelayMs(deliveryCount, policy.backoff), held: false };
  }
}
