import pino, { DestinationStream, Logger } from 'pino';
import { LogLevel } from '../config/env-schemas';
import { REDACTED, REDACT_PATHS, scrubString, scrubValue } from './redaction';

export interface LoggerOptions {
  service: string;
  level?: LogLevel;
  /** Where JSON lines go; stdout when omitted (tests pass a stream). */
  destination?: DestinationStream;
}

/**
 * JSON logger with secrets removed twice: pino's path redaction for the known places,
 * then a deep pass for secrets nested further or embedded in strings and messages.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => scrubValue(object) as Record<string, unknown>,
      },
      serializers: { err: serializeError },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubString(arg) : arg)) as typeof args;
          method.apply(this, scrubbed);
        },
      },
    },
    options.destination ?? pino.destination({ sync: true }),
  );
}

// The deep pass may already have turned an Error into a plain object; serialize only real errors.
function serializeError(error: unknown): unknown {
  return scrubValue(error instanceof Error ? pino.stdSerializers.err(error) : error);
}

/** Child logger whose every line carries `callId`. */
export function callLogger(logger: Logger, callId: string): Logger {
  return logger.child({ callId });
}
