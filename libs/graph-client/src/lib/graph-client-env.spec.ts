import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate, type GenerateResult } from 'selfsigned';
import { startGraphTestBed } from '../../test/graph-test-client';
import { formOf } from '../../test/fake-graph-server';
import { GraphConfigError } from './errors';
import { graphClientConfigFromEnv, graphClientEnv } from './graph-client-env';

const ids = { BOT_APP_ID: 'app-1', BOT_TENANT_ID: 'tenant-1' };

/** The variables the env check named, by name. */
const failures = (env: Record<string, string>) => {
  const result = graphClientEnv.safeParse(env);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [String(i.path[0]), i.message]));
};

describe('graphClientEnv', () => {
  it('accepts a client secret and fills in the Microsoft endpoints', () => {
    const env = graphClientEnv.parse({ ...ids, BOT_CLIENT_SECRET: 's3cret', UNRELATED: 'x' });
    expect(graphClientConfigFromEnv(env)).toEqual({
      graphBaseUrl: 'https://graph.microsoft.com/v1.0',
      authorityHost: 'https://login.microsoftonline.com',
      tenantId: 'tenant-1',
      clientId: 'app-1',
      scope: undefined,
      timeoutMs: undefined,
      credential: { clientSecret: 's3cret' },
    });
  });

  it('names the bad variable', () => {
    expect(failures({ BOT_CLIENT_SECRET: 's' })).toHaveProperty('BOT_APP_ID');
    expect(failures({ ...ids })).toEqual({ BOT_CLIENT_SECRET: 'set BOT_CLIENT_SECRET, or BOT_CERTIFICATE_PATH with BOT_CERTIFICATE_THUMBPRINT' });
    expect(failures({ ...ids, BOT_CLIENT_SECRET: 's', BOT_CERTIFICATE_PATH: '/x.pem', BOT_CERTIFICATE_THUMBPRINT: 'a'.repeat(40) })).toHaveProperty(
      'BOT_CLIENT_SECRET',
      'set either BOT_CLIENT_SECRET or BOT_CERTIFICATE_PATH, not both',
    );
    expect(failures({ ...ids, BOT_CERTIFICATE_PATH: '/x.pem' })).toHaveProperty('BOT_CERTIFICATE_THUMBPRINT');
    expect(failures({ ...ids, BOT_CERTIFICATE_PATH: '/x.pem', BOT_CERTIFICATE_THUMBPRINT: 'xyz' })).toHaveProperty('BOT_CERTIFICATE_THUMBPRINT');
    expect(failures({ ...ids, BOT_CLIENT_SECRET: 's', AUTHORITY_HOST: 'http://127.0.0.1:4443' })).toEqual({ AUTHORITY_HOST: 'must be an https URL' });
    expect(failures({ ...ids, BOT_CLIENT_SECRET: 's', GRAPH_BASE_URL: 'nope' })).toEqual({ GRAPH_BASE_URL: 'must be an https URL' });
    expect(failures({ ...ids, BOT_CLIENT_SECRET: 's', GRAPH_TIMEOUT_MS: '-5' })).toHaveProperty('GRAPH_TIMEOUT_MS');
  });

  it('normalises a thumbprint printed with colons', () => {
    const env = graphClientEnv.parse({ ...ids, BOT_CERTIFICATE_PATH: '/x.pem', BOT_CERTIFICATE_THUMBPRINT: 'AB:'.repeat(19) + 'AB' });
    expect(env.BOT_CERTIFICATE_THUMBPRINT).toBe('ab'.repeat(20));
  });
});

describe('graphClientConfigFromEnv with a certificate file', () => {
  let dir: string;
  let pems: GenerateResult;
  let sha256: string;
  let sha1: string;
  let pemPath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'graph-client-cert-'));
    pems = await generate([{ name: 'commonName', value: 'switchboard-bot' }], { algorithm: 'sha256', keySize: 2048 });
    const cert = new X509Certificate(pems.cert);
    sha256 = cert.fingerprint256.replace(/:/g, '').toLowerCase();
    sha1 = cert.fingerprint.replace(/:/g, '').toLowerCase();
    pemPath = join(dir, 'bot.pem');
    writeFileSync(pemPath, `${pems.private}\n${pems.cert}`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const fromEnv = (path: string, thumbprint: string) =>
    graphClientConfigFromEnv(graphClientEnv.parse({ ...ids, BOT_CERTIFICATE_PATH: path, BOT_CERTIFICATE_THUMBPRINT: thumbprint }));

  it('reads the key and chain and picks the thumbprint kind by length', () => {
    expect(fromEnv(pemPath, sha256).credential).toEqual({
      certificate: { privateKeyPem: pems.private.trim(), thumbprintSha256: sha256, x5c: pems.cert.trim() },
    });
    expect(fromEnv(pemPath, sha1).credential).toMatchObject({ certificate: { thumbprint: sha1 } });
  });

  it('refuses a thumbprint that does not match the certificate', () => {
    expect(() => fromEnv(pemPath, 'a'.repeat(64))).toThrow(GraphConfigError);
    expect(() => fromEnv(pemPath, 'a'.repeat(64))).toThrow(/BOT_CERTIFICATE_THUMBPRINT does not match/);
  });

  it('refuses a missing file or one without a key, without echoing its content', () => {
    expect(() => fromEnv(join(dir, 'missing.pem'), sha256)).toThrow(/missing\.pem cannot be read \(ENOENT\)/);
    const certOnly = join(dir, 'cert-only.pem');
    writeFileSync(certOnly, pems.cert);
    const error = (() => {
      try {
        return fromEnv(certOnly, sha256);
      } catch (e) {
        return e as Error;
      }
    })() as Error;
    expect(error.message).toMatch(/holds no PEM private key/);
    expect(error.message).not.toContain('BEGIN');
  });

  it('gets a token with the configuration it builds', async () => {
    const bed = await startGraphTestBed();
    try {
      const { credential } = fromEnv(pemPath, sha256);
      await expect(bed.client({ credential }).tokens.getToken()).resolves.toMatchObject({ token: 'token-1' });
      expect(formOf(bed.server.tokenRequests()[0]).get('client_assertion')).toBeTruthy();
    } finally {
      await bed.cleanup();
      await bed.server.close();
    }
  });
});
