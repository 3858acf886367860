import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@switchboard/service-kit';

@Injectable()
export class WebhookMetrics {
  private readonly notifications: Counter<'outcome'>;
  private readonly refusals: Counter<'status'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.notifications = new Counter({
      name: 'switchboard_webhook_notifications_total',
      help: 'Graph notifications accepted by the calling webhook (stored, or dropped as duplicates)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.refusals = new Counter({
      name: 'switchboard_webhook_refusals_total',
      help: 'Calling webhook requests refused, by HTTP status',
      labelNames: ['status'],
      registers: [registry],
    });
  }

  accepted(stored: number, duplicates: number): void {
    this.notifications.inc({ outcome: 'stored' }, stored);
    if (duplicates) this.notifications.inc({ outcome: 'duplicate' }, duplicates);
  }

  refused(status: string): void {
    this.refusals.inc({ status });
  }
}
