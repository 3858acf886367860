import { z } from 'zod';
import { ConfigError } from './config-error';
import { envBool, envInt, httpEnv, logEnv, natsEnv } from './env-schemas';
import { loadConfig } from './load-config';

const schema = natsEnv.extend({
  ...httpEnv.shape,
  ...logEnv.shape,
  BOT_APP_ID: z.string().min(1),
  MAX_CALLS: envInt({ min: 1, max: 1000, fallback: 10 }),
  VERBOSE: envBool(false),
});

function errorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(schema, env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults and coerces numbers and booleans', () => {
    const config = loadConfig(schema, { BOT_APP_ID: 'app', VERBOSE: '1' });
    expect(config).toEqual({
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_NAMESPACE: '',
      HTTP_PORT: 3000,
      HTTP_HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      BOT_APP_ID: 'app',
      MAX_CALLS: 10,
      VERBOSE: true,
    });
  });

  it('names every bad variable and why in one message', () => {
    const error = errorOf({ NATS_URL: 'http://x:4222', HTTP_PORT: '70000', LOG_LEVEL: 'loud' });
    expect(error.message).toMatch(/^Invalid configuration: /);
    expect(error.message).toContain('NATS_URL: must be a nats:// URL');
    expect(error.message).toContain('HTTP_PORT: must be at most 65535');
    expect(error.message).toContain('LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent');
    expect(error.message).toContain('BOT_APP_ID: required');
    expect(error.issues.map((i) => i.variable).sort()).toEqual(['BOT_APP_ID', 'HTTP_PORT', 'LOG_LEVEL', 'NATS_URL']);
  });

  it('refuses non-numeric integers and bad booleans', () => {
    const error = errorOf({ BOT_APP_ID: 'a', MAX_CALLS: 'ten', VERBOSE: 'yes' });
    expect(error.issues).toEqual([
      { variable: 'MAX_CALLS', reason: 'must be an integer between 1 and 1000' },
      { variable: 'VERBOSE', reason: 'must be true, false, 1 or 0' },
    ]);
  });

  it('takes NATS_USER and NATS_PASSWORD as an optional pair, naming the missing one and never a value', () => {
    const secret = 'c0rrect-h0rse-battery';
    expect(loadConfig(schema, { BOT_APP_ID: 'a' })).not.toHaveProperty('NATS_USER');
    expect(loadConfig(schema, { BOT_APP_ID: 'a', NATS_USER: 'signaling', NATS_PASSWORD: secret })).toMatchObject({ NATS_USER: 'signaling', NATS_PASSWORD: secret });
    expect(errorOf({ BOT_APP_ID: 'a', NATS_USER: 'signaling' }).issues).toEqual([{ variable: 'NATS_PASSWORD', reason: 'required when NATS_USER is set' }]);
    expect(errorOf({ BOT_APP_ID: 'a', NATS_PASSWORD: secret }).issues).toEqual([{ variable: 'NATS_USER', reason: 'required when NATS_PASSWORD is set' }]);
    // Reported with the other problems, and kept by schemas that override a shared field (as services do).
    const overriding = natsEnv.extend({ NATS_URL: z.string().default('nats://nats:4222'), BOT_APP_ID: z.string().min(1) });
    expect(() => loadConfig(overriding, { NATS_USER: 'signaling' })).toThrow(
      'Invalid configuration: BOT_APP_ID: required; NATS_PASSWORD: required when NATS_USER is set',
    );
    expect(errorOf({ BOT_APP_ID: 'a', NATS_USER: 'signaling', NATS_PASSWORD: '' }).issues).toContainEqual({ variable: 'NATS_PASSWORD', reason: 'is set but empty' });
    const inUrl = errorOf({ BOT_APP_ID: 'a', NATS_URL: `nats://signaling:${secret}@nats:4222` });
    expect(inUrl.issues).toEqual([{ variable: 'NATS_URL', reason: 'must not carry a user or password: set NATS_USER and NATS_PASSWORD instead' }]);
    expect(inUrl.message).not.toContain(secret);
  });

  it('says that a variable is set but empty', () => {
    expect(errorOf({ BOT_APP_ID: '' }).issues).toContainEqual({ variable: 'BOT_APP_ID', reason: 'is set but empty' });
  });

  it('reads process.env by default', () => {
    process.env['SK_TEST_ONLY'] = 'x';
    try {
      expect(loadConfig(z.object({ SK_TEST_ONLY: z.string() }))).toEqual({ SK_TEST_ONLY: 'x' });
    } finally {
      delete process.env['SK_TEST_ONLY'];
    }
  });
});
