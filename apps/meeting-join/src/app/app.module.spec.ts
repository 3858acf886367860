import { bootForTest, bootstrapService, captureLogs, ConfigError, loadConfig, scopedEnv } from '@switchboard/service-kit';
import { AppModule } from './app.module';
import { meetingJoinConfigSchema, SERVICE_NAME } from './config';
import { natsForSpecFile } from '@switchboard/dev-infra';

const nats = natsForSpecFile();
const graphEnv = { BOT_APP_ID: '11111111-2222-3333-4444-555555555555', BOT_TENANT_ID: 'tenant-1', BOT_CLIENT_SECRET: 'not-used-here' };
const boot = (env: Record<string, string | undefined>) =>
  bootForTest({ module: AppModule, service: SERVICE_NAME, natsQueue: SERVICE_NAME, env: { LOG_LEVEL: 'warn', ...graphEnv, ...env } });

describe('meeting-join service', () => {
  it('defaults to HTTP port 3001 and the local NATS server', () => {
    expect(loadConfig(meetingJoinConfigSchema, graphEnv)).toMatchObject({ HTTP_PORT: 3001, NATS_URL: 'nats://127.0.0.1:4222', JOIN_MAX_ATTEMPTS: 3 });
  });

  it('boots with valid config: live, ready against real NATS but not without a Graph token, metrics labelled with the service', async () => {
    const namespace = `mjboot${Date.now().toString(36)}`;
    const { app, close } = await boot({ NATS_URL: nats.url, NATS_NAMESPACE: namespace, GRAPH_BASE_URL: 'https://127.0.0.1:9/v1.0', AUTHORITY_HOST: 'https://127.0.0.1:9' });
    try {
      expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
      const ready = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: 'error', checks: { nats: { status: 'ok' }, 'graph-token': { status: 'error', error: expect.any(String) } } });
      const metrics = await app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toContain('service="meeting-join"');
    } finally {
      await close();
    }
  });

  it('refuses to boot with a bad NATS_URL and names it', async () => {
    await expect(boot({ NATS_URL: 'localhost:4222' })).rejects.toThrow(
      new ConfigError([{ variable: 'NATS_URL', reason: 'must be a nats:// URL' }]).message,
    );
  });

  it('exits 1 with one JSON line when HTTP_PORT is not a port', async () => {
    const logs = captureLogs();
    const exit = jest.fn();
    const restore = scopedEnv({ ...graphEnv, HTTP_PORT: 'eighty' });
    try {
      await bootstrapService({ module: AppModule, service: SERVICE_NAME, exit, logDestination: logs.stream });
    } finally {
      restore();
    }
    expect(exit).toHaveBeenCalledWith(1);
    expect(logs.lines()).toEqual([
      expect.objectContaining({
        level: 'fatal',
        service: 'meeting-join',
        msg: 'Invalid configuration: HTTP_PORT: must be an integer between 0 and 65535',
      }),
    ]);
  });
});
