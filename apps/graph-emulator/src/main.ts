import { readFileSync } from 'node:fs';
import { ConfigError, configFromEnv, parseEmulatorEnv } from './config';
import { startEmulator } from './emulator';

/** Boots the emulator from the environment; refuses to start, naming the variable, on bad config. */
async function main(): Promise<void> {
  let config;
  try {
    config = configFromEnv(parseEmulatorEnv(process.env), (path) => readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: error.message, variable: error.variable })}\n`);
      process.exit(1);
    }
    throw error;
  }
  const emulator = await startEmulator(config);
  const shutdown = () => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: 'graph emulator failed to start', error: (error as Error).message })}\n`);
  process.exit(1);
});
