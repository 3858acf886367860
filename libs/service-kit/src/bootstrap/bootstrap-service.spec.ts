import { Controller, Module } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { connect, JSONCodec } from 'nats';
import { z } from 'zod';
import { ConfigError } from '../config/config-error';
import { ConfigModule } from '../config/config.module';
import { httpEnv, logEnv, natsEnv } from '../config/env-schemas';
import { HealthModule } from '../health/health.module';
import { createLogger } from '../logging/create-logger';
import { LoggingModule } from '../logging/logging.module';
import { NatsModule } from '../nats/nats.module';
import { captureLogs } from '../testing/capture-logs';
import { scopedEnv } from '../testing/scoped-env';
import { bootstrapService, createServiceApp } from './bootstrap-service';
import { findNatsServer, natsForSpecFile, startNatsServer, type NatsEndpoint } from '@switchboard/dev-infra';

const nats = natsForSpecFile();
const RUN = `${process.pid}-${Date.now()}`;
const SUBJECT = `kit.v1.echo.${RUN}`;

const schema = natsEnv.extend({ ...httpEnv.shape, ...logEnv.shape, GREETING: z.string().min(1) });
const logs = captureLogs();

@Controller()
class EchoController {
  @MessagePattern(SUBJECT)
  echo(@Payload() payload: { text: string }): { echoed: string } {
    return { echoed: payload.text };
  }
}

@Module({
  imports: [
    ConfigModule.forRoot(schema),
    LoggingModule.forRoot({ service: 'kit-spec', logger: createLogger({ service: 'kit-spec', destination: logs.stream }) }),
    HealthModule.forRoot(),
    NatsModule.forRoot({ name: 'kit-spec' }),
  ],
  controllers: [EchoController],
})
class SpecModule {}

let restoreEnv: (() => void) | undefined;
function setEnv(values: Record<string, string | undefined>): void {
  restoreEnv = scopedEnv(values);
}

afterEach(() => restoreEnv?.());

describe('createServiceApp', () => {
  it('throws the ConfigError before creating anything when the environment is invalid', async () => {
    setEnv({ NATS_URL: 'http://nope', GREETING: undefined });
    const creating = createServiceApp({ module: SpecModule, service: 'kit-spec' });
    await expect(creating).rejects.toThrow(ConfigError);
    await expect(creating).rejects.toThrow('Invalid configuration: NATS_URL: must be a nats:// URL; GREETING: required');
  });
});

describe('bootstrapService', () => {
  it('logs one JSON line naming the bad variable and exits 1', async () => {
    setEnv({ NATS_URL: nats.url, GREETING: undefined });
    const failure = captureLogs();
    const exit = jest.fn();
    const app = await bootstrapService({ module: SpecModule, service: 'kit-spec', exit, logDestination: failure.stream });
    expect(app).toBeUndefined();
    expect(exit).toHaveBeenCalledWith(1);
    const lines = failure.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'fatal', service: 'kit-spec', msg: 'Invalid configuration: GREETING: required' });
  });

  it('listens on HTTP, answers NATS requests in its queue group and logs where it listens', async () => {
    setEnv({ NATS_URL: nats.url, HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', GREETING: 'hi' });
    const exit = jest.fn();
    const app = await bootstrapService({ module: SpecModule, service: 'kit-spec', natsQueue: 'kit-spec', exit });
    if (!app) throw new Error('boot failed');
    const client = await connect({ servers: nats.url });
    try {
      expect(exit).not.toHaveBeenCalled();
      const listening = logs.lines().find((l) => l['msg'] === 'listening');
      expect(listening).toMatchObject({ service: 'kit-spec', host: '127.0.0.1' });
      const port = listening?.['port'];
      expect(typeof port).toBe('number');

      const live = await fetch(`http://127.0.0.1:${port}/health/live`);
      expect(live.status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(await ready.json()).toEqual({ status: 'ok', checks: { nats: { status: 'ok' } } });

      const codec = JSONCodec<{ response?: unknown; pattern?: string; data?: unknown; id?: string }>();
      const reply = await client.request(SUBJECT, codec.encode({ pattern: SUBJECT, data: { text: 'ping' }, id: 'req-1' }), {
        timeout: 2000,
      });
      expect(codec.decode(reply.data).response).toEqual({ echoed: 'ping' });
      // Nest's own lines went through pino as JSON.
      expect(logs.lines().some((l) => l['context'] === 'RoutesResolver')).toBe(true);
    } finally {
      await client.close();
      await app.close();
    }
  });

  it('exits 1 with a clear line when NATS cannot be reached', async () => {
    setEnv({ NATS_URL: 'nats://127.0.0.1:1', HTTP_PORT: '0', GREETING: 'hi' });
    const failure = captureLogs();
    const exit = jest.fn();
    await bootstrapService({ module: SpecModule, service: 'kit-spec', exit, logDestination: failure.stream });
    expect(exit).toHaveBeenCalledWith(1);
    expect(failure.lines()).toEqual([
      expect.objectContaining({ level: 'fatal', msg: expect.stringContaining('Cannot connect to NATS at nats://127.0.0.1:1') }),
    ]);
  });
});

describe('with a NATS user (NATS_USER, NATS_PASSWORD)', () => {
  const user = 'kit-service';
  const password = 'c0rrect-h0rse-battery';
  /** A server that lets only that user in. */
  let secured: NatsEndpoint | undefined;
  beforeAll(async () => {
    const bin = findNatsServer();
    if (!bin) throw new Error('nats-server is needed for this spec (see the README)');
    secured = await startNatsServer(bin, { user, pass: password });
  }, 30_000);
  afterAll(() => secured?.stop());

  it("connects the service and Nest's NATS transport as that user, and logs no password", async () => {
    setEnv({ NATS_URL: secured!.url, NATS_USER: user, NATS_PASSWORD: password, GREETING: 'hi', LOG_LEVEL: 'trace' });
    const app = await createServiceApp({ module: SpecModule, service: 'kit-spec', natsQueue: 'kit-spec' });
    const client = await connect({ servers: secured!.url, user, pass: password });
    try {
      await app.init();
      expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
      const codec = JSONCodec<{ response?: unknown; pattern?: string; data?: unknown; id?: string }>();
      const reply = await client.request(SUBJECT, codec.encode({ pattern: SUBJECT, data: { text: 'ping' }, id: 'req-1' }), { timeout: 2000 });
      expect(codec.decode(reply.data).response).toEqual({ echoed: 'ping' });
      expect(logs.text()).not.toContain(password);
    } finally {
      await client.close();
      await app.close();
    }
  });

  it.each([
    ['no user is set', {}, 'the server requires a user (set NATS_USER and NATS_PASSWORD)'],
    ['the password is wrong', { NATS_USER: user, NATS_PASSWORD: 'wrong-password-123' }, `user ${user} was refused (check NATS_USER and NATS_PASSWORD)`],
  ])('exits 1 with a line that says what to fix when %s, and not the password', async (_case, credentials: Record<string, string>, says) => {
    setEnv({ NATS_URL: secured!.url, NATS_USER: undefined, NATS_PASSWORD: undefined, ...credentials, HTTP_PORT: '0', GREETING: 'hi' });
    const failure = captureLogs();
    const exit = jest.fn();
    await bootstrapService({ module: SpecModule, service: 'kit-spec', exit, logDestination: failure.stream });
    expect(exit).toHaveBeenCalledWith(1);
    expect(failure.lines()).toEqual([expect.objectContaining({ level: 'fatal', msg: expect.stringContaining(says) })]);
    expect(failure.text()).not.toContain('wrong-password-123');
  });
});
