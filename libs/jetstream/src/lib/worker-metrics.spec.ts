import { Registry } from 'prom-client';
import { workerMetrics } from './worker-metrics';

describe('workerMetrics', () => {
  it('counts settlements by stream, consumer and outcome, one counter per registry', async () => {
    const registry = new Registry();
    const a = workerMetrics(registry);
    const b = workerMetrics(registry);
    a.settled('EVENTS', 'acked', { kind: 'done' }, 'hook_a');
    b.settled('EVENTS', 'dead-letter-failed', { kind: 'retry', reason: 'x' }, 'hook_b');
    b.settled('EVENTS', 'dead-letter-failed', { kind: 'retry', reason: 'x' }, 'hook_b');
    const text = await registry.metrics();
    expect(text).toContain('switchboard_jetstream_messages_total{stream="EVENTS",consumer="hook_a",outcome="acked"} 1');
    expect(text).toContain('switchboard_jetstream_messages_total{stream="EVENTS",consumer="hook_b",outcome="dead-letter-failed"} 2');
  });
});
