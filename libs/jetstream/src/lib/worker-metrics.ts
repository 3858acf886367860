import { Counter, type Registry } from 'prom-client';
import type { PullWorkerObserver } from './pull-worker';

const NAME = 'switchboard_jetstream_messages_total';

/**
 * Counts every settled message by stream, consumer and outcome (`dead-letter-failed` is the one to alert on: a
 * dead-letter that could not be stored). One counter per registry, shared by every worker that reports to it.
 */
export function workerMetrics(registry: Registry): PullWorkerObserver {
  const counter =
    (registry.getSingleMetric(NAME) as Counter<'stream' | 'consumer' | 'outcome'> | undefined) ??
    new Counter({
      name: NAME,
      help: 'JetStream messages settled by the pull workers, by stream, consumer and outcome',
      labelNames: ['stream', 'consumer', 'outcome'],
      registers: [registry],
    });
  return { settled: (stream, outcome, _decision, consumer) => counter.inc({ stream, consumer, outcome }) };
}
