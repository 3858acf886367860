import { createServer, Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { NatsConnection } from 'nats';
import { ConfigModule } from '../config/config.module';
import { natsEnv } from '../config/env-schemas';
import { HealthModule } from '../health/health.module';
import { createInjectableApp } from '../testing/inject-app';
import { connectNats, NatsConnectError } from './connect-nats';
import { NatsModule } from './nats.module';
import { NATS_CONNECTION } from './tokens';
import { natsForSpecFile } from '@switchboard/dev-infra';

const nats = natsForSpecFile();

function modulesFor(url: string) {
  process.env['NATS_URL'] = url;
  return [ConfigModule.forRoot(natsEnv), HealthModule.forRoot(), NatsModule.forRoot({ name: 'service-kit-spec' })];
}

/** A port that nothing listens on: bind, read the port, close. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('NatsModule', () => {
  const savedUrl = process.env['NATS_URL'];
  afterEach(() => {
    if (savedUrl === undefined) delete process.env['NATS_URL'];
    else process.env['NATS_URL'] = savedUrl;
  });

  it('connects to the real server, reports ready through JetStream and drains on shutdown', async () => {
    const app: NestFastifyApplication = await createInjectableApp(modulesFor(nats.url));
    const connection = app.get<NatsConnection>(NATS_CONNECTION);
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', checks: { nats: { status: 'ok' } } });

    await app.close();
    await connection.closed();
    expect(connection.isClosed()).toBe(true);
  });

  it('turns not ready when the connection is gone', async () => {
    const app = await createInjectableApp(modulesFor(nats.url));
    try {
      await app.get<NatsConnection>(NATS_CONNECTION).close();
      const res = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'error', checks: { nats: { status: 'error', error: 'connection closed' } } });
    } finally {
      await app.close();
    }
  });

  it('fails boot with a clear error naming the URL when nothing listens', async () => {
    const url = `nats://127.0.0.1:${await closedPort()}`;
    const compiling = Test.createTestingModule({ imports: modulesFor(url) }).compile();
    await expect(compiling).rejects.toThrow(NatsConnectError);
    await expect(compiling).rejects.toThrow(`Cannot connect to NATS at ${url}: `);
  });

  it('refuses NATS_USER without NATS_PASSWORD also when a schema took natsEnv\'s fields without its rules', async () => {
    await expect(connectNats({ NATS_URL: nats.url, NATS_USER: 'svc' }, 'spec')).rejects.toThrow(
      'Invalid configuration: NATS_PASSWORD: required when NATS_USER is set',
    );
  });
});
