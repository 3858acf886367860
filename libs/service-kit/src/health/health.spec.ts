import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createInjectableApp } from '../testing/inject-app';
import { HealthRegistry } from './health-registry';
import { HealthModule } from './health.module';

describe('HealthModule', () => {
  let app: NestFastifyApplication;
  let registry: HealthRegistry;

  beforeEach(async () => {
    app = await createInjectableApp([HealthModule.forRoot()]);
    registry = app.get(HealthRegistry);
  });

  afterEach(() => app.close());

  it('answers live while the process runs, whatever the checks say', async () => {
    registry.register('broken', () => Promise.reject(new Error('down')));
    const res = await app.inject({ method: 'GET', url: '/health/live' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('is ready (200) when every check passes', async () => {
    registry.register('nats', () => Promise.resolve());
    registry.register('storage', () => Promise.resolve());
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', checks: { nats: { status: 'ok' }, storage: { status: 'ok' } } });
  });

  it('is not ready (503) and names each failing check with its reason', async () => {
    registry.register('nats', () => Promise.resolve());
    registry.register('graph-token', () => Promise.reject(new Error('token endpoint returned 401')));
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      status: 'error',
      checks: { nats: { status: 'ok' }, 'graph-token': { status: 'error', error: 'token endpoint returned 401' } },
    });
  });

  it('fails a check that hangs instead of hanging the probe', async () => {
    registry.register('slow', () => new Promise(() => undefined));
    const report = await registry.report(20);
    expect(report).toEqual({ status: 'error', checks: { slow: { status: 'error', error: 'timed out after 20 ms' } } });
  });

  it('refuses to register the same check twice and keeps the first', async () => {
    registry.register('nats', () => Promise.resolve());
    expect(() => registry.register('nats', () => Promise.reject(new Error('x')))).toThrow(
      'Readiness check "nats" is already registered',
    );
    expect((await registry.report()).status).toBe('ok');
  });
});
