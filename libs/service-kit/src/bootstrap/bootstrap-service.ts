import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream, Logger } from 'pino';
import { loadConfig } from '../config/load-config';
import { APP_CONFIG } from '../config/tokens';
import { createLogger } from '../logging/create-logger';
import { NestPinoLogger } from '../logging/nest-pino-logger';
import { natsConnectionOptions, natsSettingsFrom } from '../nats/connect-nats';
import { LOGGER } from '../logging/tokens';
import { findConfigSchema } from './find-config-schema';
import { logBootFailure } from './log-boot-failure';

export interface ServiceAppOptions {
  /** Root module; it imports `ConfigModule.forRoot(schema)` and `LoggingModule.forRoot(...)`. */
  module: Type<unknown>;
  /** Service name for log lines before the app exists. */
  service: string;
  /** NATS queue group for the Nest NATS transport; omit for HTTP-only services. */
  natsQueue?: string;
  /** Largest HTTP request body accepted, in bytes (Fastify's default is 1 MiB). */
  bodyLimit?: number;
}

export interface BootstrapOptions extends ServiceAppOptions {
  /** Called with exit code 1 when boot fails; defaults to `process.exit`. */
  exit?: (code: number) => void;
  /** Where boot failures are logged before the app's own logger exists; stdout by default. */
  logDestination?: DestinationStream;
}

/**
 * Creates the Nest app (Fastify, JSON logs from the first line, shutdown hooks, optional
 * NATS microservice) without listening. Invalid configuration throws `ConfigError` before
 * anything is created. Tests use this with `app.init()` + `app.inject()`.
 */
export async function createServiceApp(options: ServiceAppOptions): Promise<NestFastifyApplication> {
  const schema = findConfigSchema(options.module);
  if (schema) loadConfig(schema);
  const app = await NestFactory.create<NestFastifyApplication>(
    options.module,
    new FastifyAdapter(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    { bufferLogs: true, autoFlushLogs: false, abortOnError: false },
  );
  try {
    app.useLogger(app.get(NestPinoLogger));
    app.flushLogs();
    app.enableShutdownHooks();
    if (options.natsQueue) {
      // The same server and user as the service's own connection (NatsModule).
      const nats = natsConnectionOptions(natsSettingsFrom(app.get(APP_CONFIG)));
      app.connectMicroservice<MicroserviceOptions>(
        { transport: Transport.NATS, options: { ...nats, servers: [nats.servers], queue: options.natsQueue } },
        { inheritAppConfig: true },
      );
      await app.startAllMicroservices();
    }
    return app;
  } catch (err) {
    await app.close();
    throw err;
  }
}

/**
 * Boots a service: creates the app, listens on HTTP_HOST:HTTP_PORT and logs one "listening" line.
 * Any boot failure (invalid configuration, NATS unreachable, port taken) is logged as one JSON
 * line and the process exits with code 1.
 */
export async function bootstrapService(options: BootstrapOptions): Promise<INestApplication | undefined> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let app: NestFastifyApplication | undefined;
  try {
    app = await createServiceApp(options);
    const port = Number(configValue(app, 'HTTP_PORT'));
    const host = configValue(app, 'HTTP_HOST');
    await app.listen(port, host);
    const address = app.getHttpServer().address();
    const boundPort = typeof address === 'object' && address ? address.port : port;
    app.get<Logger>(LOGGER).info({ port: boundPort, host }, 'listening');
    return app;
  } catch (err) {
    const logger = app ? app.get<Logger>(LOGGER) : createLogger({ service: options.service, destination: options.logDestination });
    logBootFailure(logger, err);
    if (app) await app.close().catch(() => undefined);
    exit(1);
    return undefined;
  }
}

function configValue(app: INestApplication, key: 'HTTP_PORT' | 'HTTP_HOST'): string {
  const config = app.get<Record<string, unknown>>(APP_CONFIG);
  const value = config[key];
  if (value === undefined || value === null) {
    throw new Error(`${key} is missing from the configuration schema (compose httpEnv)`);
  }
  return String(value);
}
