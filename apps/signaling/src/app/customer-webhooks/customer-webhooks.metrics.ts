import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@switchboard/service-kit';
import { workerMetrics, type PullWorkerObserver } from '@switchboard/jetstream';

/** delivered; retrying (will be sent again); rejected (4xx, not retried); failed (gave up after the last attempt). */
export type AttemptOutcome = 'delivered' | 'retrying' | 'rejected' | 'failed';

@Injectable()
export class CustomerWebhookMetrics {
  private readonly attempts: Counter<'subscription' | 'outcome'>;
  private readonly latency: Histogram<'subscription'>;
  /** How the subscription consumers settle their messages (stream, consumer, outcome). */
  readonly worker: PullWorkerObserver;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.attempts = new Counter({
      name: 'switchboard_customer_webhook_deliveries_total',
      help: 'Customer webhook delivery attempts, by subscription and outcome',
      labelNames: ['subscription', 'outcome'],
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'switchboard_customer_webhook_attempt_seconds',
      help: 'Duration of one customer webhook attempt (request to response or failure), by subscription',
      labelNames: ['subscription'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.worker = workerMetrics(registry);
  }

  attempted(subscription: string, outcome: AttemptOutcome, durationMs: number): void {
    this.attempts.inc({ subscription, outcome });
    this.latency.observe({ subscription }, durationMs / 1000);
  }
}
