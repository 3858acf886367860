import type { MediaEventType, MediaSessionEvent } from '@switchboard/nats-contracts';
import { CallRegistry } from '../call-registry';
import { MediaMetrics } from '../media-metrics';
import { CallSession, type CallSessionOptions } from '../session/call-session';
import type { PacerClock } from '../session/outbound-audio';

/** A session whose events and outbound audio are collected, with a clock the test moves. */
export function sessionForTest(overrides: Partial<CallSessionOptions> = {}) {
  const events: MediaSessionEvent[] = [];
  const sent: { data: Buffer; timestampTicks: bigint; promptId: string }[] = [];
  const clock = new ManualClock();
  const metrics = new MediaMetrics('media', new CallRegistry({ podName: 'media-0', maxCalls: 1, preparedCallTtlMs: 60_000 }));
  const session = new CallSession({
    callId: 'call-1',
    podName: 'media-0',
    publish: (e) => events.push(e),
    sendAudio: (f) => sent.push(f),
    loadPrompt: () => Promise.reject(new Error('no prompts in this test')),
    metrics,
    clock,
    now: () => new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  });
  /** Frames as a pod that keeps up takes them: each processed before the next arrives. */
  const feed = (requests: Parameters<CallSession['receive']>[0][]) => {
    for (const r of requests) {
      session.receive(r);
      session.processInbound();
    }
  };
  const ofType = <K extends MediaEventType>(type: K) => events.filter((e): e is Extract<MediaSessionEvent, { type: K }> => e.type === type);
  return { session, events, sent, clock, metrics, feed, ofType };
}

/** Timers that fire only when the test advances time. */
export class ManualClock implements PacerClock {
  private time = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.time = next.at;
      next.fn();
    }
    this.time = end;
  }
}
