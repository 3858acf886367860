import type { Logger } from 'pino';
import { ConfigError } from '../config/config-error';

/** One fatal JSON line for a failed boot: configuration issues by variable, anything else with its error. */
export function logBootFailure(logger: Logger, err: unknown): void {
  if (err instanceof ConfigError) logger.fatal({ issues: err.issues }, err.message);
  else logger.fatal({ err }, `Boot failed: ${err instanceof Error ? err.message : String(err)}`);
}
