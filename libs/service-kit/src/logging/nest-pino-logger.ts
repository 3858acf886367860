import { Inject, Injectable, LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from './tokens';

type Level = 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal';

/** Routes Nest's own log lines (and `Logger` from @nestjs/common) into the pino JSON stream. */
@Injectable()
export class NestPinoLogger implements LoggerService {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('info', message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    // Nest calls error(message, stack, context); keep the stack as a field.
    const [maybeStack, ...rest] = optionalParams;
    if (typeof maybeStack === 'string' && maybeStack.includes('\n')) {
      this.write('error', message, rest, { stack: maybeStack });
      return;
    }
    this.write('error', message, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('trace', message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams);
  }

  private write(level: Level, message: unknown, params: unknown[], extra: Record<string, unknown> = {}): void {
    // Nest passes the context (class name) as the last string parameter.
    const last = params[params.length - 1];
    const context = typeof last === 'string' ? last : undefined;
    const fields: Record<string, unknown> = { ...extra, ...(context ? { context } : {}) };
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
