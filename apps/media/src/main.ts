import { createLogger, loadConfig, logBootFailure } from '@switchboard/service-kit';
import { mediaConfigSchema, MediaConfig, SERVICE_NAME } from './app/config';
import { startMediaServer } from './app/media-server';

async function main(): Promise<void> {
  let config: MediaConfig;
  try {
    config = loadConfig(mediaConfigSchema);
  } catch (err) {
    logBootFailure(createLogger({ service: SERVICE_NAME }), err);
    process.exit(1);
  }
  const logger = createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL });
  try {
    const server = await startMediaServer(config, logger);
    // SIGTERM (pod deletion) drains: NOT_SERVING, no new calls, live calls finish, then exit.
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'stopping');
      void server.drainAndStop().then(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (err) {
    logBootFailure(logger, err);
    process.exit(1);
  }
}

void main();
