import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Counter, Registry } from 'prom-client';
import { createInjectableApp } from '../testing/inject-app';
import { MetricsModule } from './metrics.module';
import { METRICS_REGISTRY } from './tokens';

describe('MetricsModule', () => {
  let app: NestFastifyApplication;

  beforeEach(async () => {
    app = await createInjectableApp([MetricsModule.forRoot({ service: 'svc-under-test' })]);
  });

  afterEach(() => app.close());

  it('serves Prometheus text with default metrics, the service label and service counters', async () => {
    const registry = app.get<Registry>(METRICS_REGISTRY);
    const counter = new Counter({ name: 'calls_answered_total', help: 'Calls answered', registers: [registry] });
    counter.inc(3);
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
    expect(res.body).toContain('# TYPE calls_answered_total counter');
    expect(res.body).toContain('calls_answered_total{service="svc-under-test"} 3');
    expect(res.body).toMatch(/process_cpu_user_seconds_total\{service="svc-under-test"\}/);
  });
});
