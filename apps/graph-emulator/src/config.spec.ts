import { ConfigError, DEFAULT_BOT_APP_ID, DEFAULT_TENANT_ID, configFromEnv, parseEmulatorEnv } from './config';

describe('emulator configuration', () => {
  it('uses the documented defaults for an empty environment', () => {
    const config = configFromEnv(parseEmulatorEnv({}), () => '');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4443,
      publicHost: 'localhost',
      stateDir: '.swb/emulator',
      tenantId: DEFAULT_TENANT_ID,
      botAppId: DEFAULT_BOT_APP_ID,
      botClientSecret: 'local-dev-secret',
      botWebhookUrl: 'http://127.0.0.1:3000/api/calling',
    });
    expect(config.timings.promptMs).toBe(1500);
    expect(config.apiAudience).toBe('api://switchboard');
    expect(config.apiClient.roles).toEqual(['Calls.Read', 'Calls.Control', 'Calls.Place', 'Meetings.Join', 'Meetings.Read', 'OnlineMeetings.ReadWrite']);
  });

  it('reads the default API client roles as a comma-separated list', () => {
    const config = configFromEnv(parseEmulatorEnv({ EMULATOR_API_ROLES: 'Calls.Read, Calls.Place', EMULATOR_API_CLIENT_ID: 'my-app' }), () => '');
    expect(config.apiClient).toMatchObject({ clientId: 'my-app', roles: ['Calls.Read', 'Calls.Place'] });
  });

  it('grants the bot every calling permission unless EMULATOR_BOT_ROLES names fewer (or none)', () => {
    expect(configFromEnv(parseEmulatorEnv({}), () => '').botRoles).toContain('Calls.AccessMedia.All');
    const config = configFromEnv(parseEmulatorEnv({ EMULATOR_BOT_ROLES: 'Calls.Initiate.All, Calls.AccessMedia.All' }), () => '');
    expect(config.botRoles).toEqual(['Calls.Initiate.All', 'Calls.AccessMedia.All']);
    expect(configFromEnv(parseEmulatorEnv({ EMULATOR_BOT_ROLES: 'none' }), () => '').botRoles).toEqual([]);
    expect(() => parseEmulatorEnv({ EMULATOR_BOT_ROLES: 'Calls.Initiate.All,bad role' })).toThrow(/EMULATOR_BOT_ROLES/);
  });

  it('reads overrides, treating empty strings as unset', () => {
    const env = parseEmulatorEnv({ EMULATOR_PORT: '0', EMULATOR_PROMPT_MS: '20', EMULATOR_HOST: '' });
    expect(env.EMULATOR_PORT).toBe(0);
    expect(env.EMULATOR_PROMPT_MS).toBe(20);
    expect(env.EMULATOR_HOST).toBe('127.0.0.1');
  });

  it.each([
    ['EMULATOR_PORT', '70000'],
    ['EMULATOR_PORT', 'https'],
    ['EMULATOR_TENANT_ID', 'contoso'],
    ['EMULATOR_BOT_WEBHOOK_URL', 'ftp://bot/api'],
    ['EMULATOR_PROMPT_MS', '-1'],
    ['EMULATOR_LOG_LEVEL', 'loud'],
    ['EMULATOR_API_ROLES', 'Calls.Read,bad role'],
    ['EMULATOR_API_CLIENT_SECRET', 'short'],
    ['EMULATOR_API_CLIENT_ID', 'has space'],
  ])('refuses %s=%s and names the variable', (variable, value) => {
    expect(() => parseEmulatorEnv({ [variable]: value })).toThrow(ConfigError);
    expect(() => parseEmulatorEnv({ [variable]: value })).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it('names EMULATOR_BOT_CERT_PATH when the certificate cannot be read', () => {
    const env = parseEmulatorEnv({ EMULATOR_BOT_CERT_PATH: '/nope.pem' });
    expect(() =>
      configFromEnv(env, () => {
        throw new Error('ENOENT');
      }),
    ).toThrow(/EMULATOR_BOT_CERT_PATH cannot be read: ENOENT/);
  });
});
