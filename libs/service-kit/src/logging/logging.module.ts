import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG } from '../config/tokens';
import { LogLevel, LOG_LEVELS } from '../config/env-schemas';
import { createLogger } from './create-logger';
import { NestPinoLogger } from './nest-pino-logger';
import { LOGGER } from './tokens';

export interface LoggingModuleOptions {
  service: string;
  /** A ready logger (tests pass one writing to a stream); otherwise one is created from `LOG_LEVEL`. */
  logger?: Logger;
}

function levelFrom(config: unknown): LogLevel | undefined {
  const level = (config as { LOG_LEVEL?: unknown } | undefined)?.LOG_LEVEL;
  return LOG_LEVELS.find((l) => l === level);
}

/** Provides the root pino logger under `LOGGER` and `NestPinoLogger` for `app.useLogger()`. */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingModuleOptions): DynamicModule {
    return {
      module: LoggingModule,
      providers: [
        {
          provide: LOGGER,
          useFactory: (config?: unknown) =>
            options.logger ?? createLogger({ service: options.service, level: levelFrom(config) }),
          inject: [{ token: APP_CONFIG, optional: true }],
        },
        NestPinoLogger,
      ],
      exports: [LOGGER, NestPinoLogger],
    };
  }
}
