import { captureLogs } from '../testing/capture-logs';
import { callLogger, createLogger } from './create-logger';
import { NestPinoLogger } from './nest-pino-logger';
import { REDACTED } from './redaction';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib3QifQ.c2lnbmF0dXJlLXZhbHVl';
const SECRET = 'super-secret-client-value';

function setup() {
  const logs = captureLogs();
  const logger = createLogger({ service: 'svc', level: 'trace', destination: logs.stream });
  return { logs, logger };
}

describe('createLogger', () => {
  it('writes JSON lines with service, level label and time', () => {
    const { logs, logger } = setup();
    logger.info({ a: 1 }, 'hello');
    const [line] = logs.lines();
    expect(line).toMatchObject({ service: 'svc', level: 'info', msg: 'hello', a: 1 });
    expect(typeof line['time']).toBe('string');
  });

  it('redacts secret keys at the top level, in headers and deep inside objects', () => {
    const { logs, logger } = setup();
    logger.info({
      clientSecret: SECRET,
      req: { headers: { authorization: `Bearer ${JWT}`, host: 'h' } },
      auth: { client_secret: SECRET, nested: { deeper: { recordingAccessToken: SECRET, password: SECRET } } },
      response: { access_token: SECRET, token: SECRET },
      privateKey: SECRET,
    });
    const text = logs.text();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(JWT);
    const [line] = logs.lines();
    expect(line['clientSecret']).toBe(REDACTED);
    expect((line['req'] as { headers: Record<string, string> }).headers).toEqual({ authorization: REDACTED, host: 'h' });
  });

  it('scrubs bearer tokens, JWTs, PEM keys and account keys embedded in strings and messages', () => {
    const { logs, logger } = setup();
    logger.warn({ detail: `sent Authorization: Bearer ${JWT}` }, `token was ${JWT}`);
    logger.error({ conn: 'DefaultEndpointsProtocol=http;AccountName=dev;AccountKey=abc123==;BlobEndpoint=x' });
    logger.info({ pem: 'x', text: '-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----' });
    const text = logs.text();
    expect(text).not.toContain(JWT);
    expect(text).not.toContain('abc123');
    expect(text).not.toContain('MIIEv');
    expect(text).toContain('AccountName=dev');
  });

  it('scrubs secrets in logged errors', () => {
    const { logs, logger } = setup();
    logger.error({ err: new Error(`request failed with Bearer ${JWT}`) }, 'failed');
    expect(logs.text()).not.toContain(JWT);
    expect(logs.lines()[0]['err']).toMatchObject({ type: 'Error', message: `request failed with ${REDACTED}` });
  });

  it('keeps ordinary values untouched', () => {
    const { logs, logger } = setup();
    logger.info({ callId: 'c-1', key: 'calls.v1.state', count: 3, list: ['a'] });
    expect(logs.lines()[0]).toMatchObject({ callId: 'c-1', key: 'calls.v1.state', count: 3, list: ['a'] });
  });

  it('callLogger puts the callId on every line', () => {
    const { logs, logger } = setup();
    const log = callLogger(logger, 'call-42');
    log.info('one');
    log.child({ step: 2 }).warn('two');
    expect(logs.lines().map((l) => l['callId'])).toEqual(['call-42', 'call-42']);
  });
});

describe('NestPinoLogger', () => {
  it('maps Nest log calls to pino levels with the context as a field', () => {
    const { logs, logger } = setup();
    const nest = new NestPinoLogger(logger);
    nest.log('Mapped {/health, GET} route', 'RouterExplorer');
    nest.warn({ note: 'object message' }, 'Ctx');
    nest.error('boom', 'Error: boom\n    at x', 'ExceptionHandler');
    nest.verbose('fine detail');
    nest.error(new Error(`bad ${JWT}`));
    expect(logs.lines()).toEqual([
      expect.objectContaining({ level: 'info', msg: 'Mapped {/health, GET} route', context: 'RouterExplorer' }),
      expect.objectContaining({ level: 'warn', note: 'object message', context: 'Ctx' }),
      expect.objectContaining({ level: 'error', msg: 'boom', context: 'ExceptionHandler', stack: 'Error: boom\n    at x' }),
      expect.objectContaining({ level: 'trace', msg: 'fine detail' }),
      expect.objectContaining({ level: 'error', msg: `bad ${REDACTED}` }),
    ]);
    expect(logs.text()).not.toContain(JWT);
  });
});
