import type { MediaHeartbeat } from '@switchboard/nats-contracts';
import { choosePod } from './pod-choice';

const now = Date.parse('2026-01-01T00:00:10Z');
const pod = (name: string, fields: Partial<MediaHeartbeat> = {}): MediaHeartbeat => ({
  pod: name,
  activeCalls: 0,
  maxCalls: 10,
  draining: false,
  at: '2026-01-01T00:00:09Z',
  intervalMs: 1000,
  grpcTarget: `${name}:50051`,
  ...fields,
});
const chosen = (choice: ReturnType<typeof choosePod>) => (choice.kind === 'chosen' ? choice.heartbeat.pod : choice.reason);

describe('choosePod', () => {
  it('takes the pod with the lowest share of its capacity in use, then the fewest calls, then the name', () => {
    expect(chosen(choosePod([pod('a', { activeCalls: 3 }), pod('b', { activeCalls: 1 }), pod('c', { activeCalls: 2 })], now))).toBe('b');
    expect(chosen(choosePod([pod('a', { activeCalls: 4, maxCalls: 100 }), pod('b', { activeCalls: 1, maxCalls: 10 })], now))).toBe('a');
    expect(chosen(choosePod([pod('b', { activeCalls: 1, maxCalls: 10 }), pod('a', { activeCalls: 2, maxCalls: 20 })], now))).toBe('b');
    expect(chosen(choosePod([pod('b'), pod('a')], now))).toBe('a');
  });

  it('never takes a draining, full, silent or unreachable pod, and says why none is left', () => {
    const pods = [
      pod('draining', { draining: true }),
      pod('full', { activeCalls: 10 }),
      pod('silent', { at: '2026-01-01T00:00:06Z' }),
      pod('nowhere', { grpcTarget: undefined }),
    ];
    expect(chosen(choosePod(pods, now))).toBe('no media pod can take the call (draining draining, full full, silent heartbeat stale, nowhere no gRPC target)');
    expect(chosen(choosePod([...pods, pod('ok', { activeCalls: 9 })], now))).toBe('ok');
  });

  it('skips the pods already tried and says that none is registered', () => {
    expect(chosen(choosePod([pod('a'), pod('b', { activeCalls: 5 })], now, new Set(['a'])))).toBe('b');
    expect(chosen(choosePod([pod('a')], now, new Set(['a'])))).toBe('no media pod can take the call (a refused the call)');
    expect(chosen(choosePod([], now))).toBe('no media pod is registered');
  });
});
