import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@switchboard/service-kit';
import type { CallEvent } from '@switchboard/nats-contracts';
import { loadSubscriptions, viewOf, wants } from './subscriptions';

const secret = 'a-secret-of-sufficient-length';
const good = { id: 'crm', url: 'https://crm.example/hooks', secret, events: ['tone', 'terminated'] };

describe('loadSubscriptions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-subs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const file = (content: unknown, ext = '.json') => {
    const path = join(dir, `subs-${n++}${ext}`);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const reasons = (path: string, env: Record<string, string> = {}): string[] => {
    try {
      loadSubscriptions(path, env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const issues = (error as ConfigError).issues;
      expect(issues.every((i) => i.variable === 'CUSTOMER_WEBHOOKS_FILE')).toBe(true);
      return issues.map((i) => i.reason);
    }
    throw new Error('expected a ConfigError');
  };

  it('is off without a file', () => {
    expect(loadSubscriptions(undefined, {})).toEqual([]);
  });

  it('reads JSON and YAML, with the secret from the environment when secretEnv is given', () => {
    const yaml = `- id: crm\n  url: https://crm.example/hooks\n  secretEnv: CRM_SECRET\n  events: ["*"]\n  tenantIds: [t1]\n- id: local\n  url: http://127.0.0.1:8080/x\n  secret: ${secret}\n  events: [tone]\n`;
    expect(loadSubscriptions(file(yaml, '.yaml'), { CRM_SECRET: 'from-the-environment-1234' })).toEqual([
      { id: 'crm', url: 'https://crm.example/hooks', secret: 'from-the-environment-1234', events: '*', tenantIds: ['t1'] },
      { id: 'local', url: 'http://127.0.0.1:8080/x', secret, events: ['tone'] },
    ]);
    expect(loadSubscriptions(file([good]), {})).toEqual([{ ...good }]);
  });

  it.each([
    ['http to a remote host', { ...good, url: 'http://crm.example/hooks' }, /subscriptions\[0\] \("crm"\)\.url: must be https/],
    ['a URL with credentials', { ...good, url: 'https://user:pw@crm.example/' }, /\("crm"\)\.url: must not carry credentials/],
    ['not a URL', { ...good, url: 'crm' }, /\.url: is not a URL/],
    ['no secret at all', { ...good, secret: undefined }, /\("crm"\)\.secret: give exactly one of secret and secretEnv/],
    ['both secret and secretEnv', { ...good, secretEnv: 'X' }, /\.secret: give exactly one/],
    ['a short secret', { ...good, secret: 'short' }, /\("crm"\)\.secret: must be at least 16 characters/],
    ['an unknown event type', { ...good, events: ['tone', 'ringing'] }, /\("crm"\)\.events\.1: must be one of \*, incoming/],
    ['no events', { ...good, events: [] }, /\.events: must list at least one event type/],
    ['"*" next to types', { ...good, events: ['*', 'tone'] }, /\.events: use "\*" alone/],
    ['a bad id', { ...good, id: 'CRM.hooks' }, /subscriptions\[0\] \("CRM.hooks"\)\.id: must match/],
    ['a missing id', { ...good, id: undefined }, /subscriptions\[0\]\.id: required/],
    ['an unknown field', { ...good, retries: 3 }, /\("crm"\)\.retries: unknown field/],
    ['empty tenantIds', { ...good, tenantIds: [] }, /\.tenantIds: must list at least one tenant/],
  ])('refuses %s, naming the entry and field', (_name, entry, message) => {
    expect(reasons(file([entry])).join('\n')).toMatch(message);
  });

  it('names the second entry and reports every problem at once', () => {
    const found = reasons(file([good, { ...good, id: 'b', url: 'ftp://x' }, { ...good, id: 'c', events: ['nope'] }]));
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/subscriptions\[1\] \("b"\)\.url/);
    expect(found[1]).toMatch(/subscriptions\[2\] \("c"\)\.events\.0/);
  });

  it('refuses duplicate ids and a secretEnv naming an unset or short variable', () => {
    const path = file([good, { ...good, secret: undefined, secretEnv: 'CRM_SECRET' }, { ...good, id: 'x', secret: undefined, secretEnv: 'SHORT' }]);
    const found = reasons(path, { SHORT: 'abc' });
    expect(found).toEqual([
      expect.stringMatching(/subscriptions\[1\] \("crm"\)\.id: duplicate subscription id/),
      expect.stringMatching(/subscriptions\[1\] \("crm"\)\.secretEnv: CRM_SECRET must be set/),
      expect.stringMatching(/subscriptions\[2\] \("x"\)\.secretEnv: SHORT must be set/),
    ]);
  });

  it('refuses a file that is missing, unreadable as JSON/YAML, of another type or not a list', () => {
    expect(reasons(join(dir, 'missing.json'))[0]).toMatch(/missing\.json: cannot be read \(ENOENT\)/);
    expect(reasons(file('[{"id": ', '.json'))[0]).toMatch(/JSON/);
    expect(reasons(file('- id: a\n  url: [unclosed\n', '.yml'))[0]).toMatch(/at line 3, column 1:$/);
    expect(reasons(file('[]', '.txt'))[0]).toMatch(/must end in \.json, \.yaml or \.yml/);
    expect(reasons(file({ subscriptions: [good] }))[0]).toMatch(/must be a list of subscriptions/);
  });

  it('never puts the secret in the view the API shows', () => {
    const [subscription] = loadSubscriptions(file([good]), {});
    expect(JSON.stringify(viewOf(subscription))).not.toContain(secret);
    expect(viewOf(subscription)).toEqual({ id: 'crm', url: good.url, events: ['tone', 'terminated'] });
  });
});

describe('wants', () => {
  const event = (type: CallEvent['type'], tenantId?: string) =>
    ({ eventId: 'e', callId: 'c', occurredAt: '2026-01-01T00:00:00.000Z', type, ...(tenantId ? { tenantId } : {}) }) as CallEvent;
  const sub = { id: 's', url: 'https://x', secret };

  it('filters by event type and tenant', () => {
    expect(wants({ ...sub, events: '*' }, event('established'))).toBe(true);
    expect(wants({ ...sub, events: ['tone'] }, event('tone'))).toBe(true);
    expect(wants({ ...sub, events: ['tone'] }, event('terminated'))).toBe(false);
    expect(wants({ ...sub, events: '*', tenantIds: ['t1'] }, event('tone', 't1'))).toBe(true);
    expect(wants({ ...sub, events: '*', tenantIds: ['t1'] }, event('tone', 't2'))).toBe(false);
    expect(wants({ ...sub, events: '*', tenantIds: ['t1'] }, event('tone'))).toBe(false);
  });
});
