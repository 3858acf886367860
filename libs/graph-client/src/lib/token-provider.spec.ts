import { X509Certificate } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, importX509 } from 'jose';
import { generate } from 'selfsigned';
import { formOf, testClientId, testTenantId } from '../../test/fake-graph-server';
import { GraphAuthError, GraphConfigError } from './errors';
import { checkGraphToken, type GraphClientConfig } from './graph-client';
import { useGraphTestBed } from '../../test/graph-test-client';

const secret = 'sw-test-secret~with/odd+chars';

describe('token provider (msal client credentials)', () => {
  const bed = useGraphTestBed();

  const client = (overrides: Partial<GraphClientConfig> = {}) => bed().client({ credential: { clientSecret: secret }, ...overrides });

  it('acquires a token with the secret from the tenant token endpoint only, then serves it from cache', async () => {
    const tokens = client().tokens;
    const first = await tokens.getToken();
    const second = await tokens.getToken();

    expect(first).toMatchObject({ token: 'token-1', fromCache: false });
    expect(first.expiresOn!.getTime()).toBeGreaterThan(Date.now() + 3000_000);
    expect(second).toMatchObject({ token: 'token-1', fromCache: true });
    // No discovery calls: the one request is the token POST of the configured tenant.
    expect(bed().server.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([`POST /${testTenantId}/oauth2/v2.0/token`]);
    const form = formOf(bed().server.requests[0]);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_id')).toBe(testClientId);
    expect(form.get('client_secret')).toBe(secret);
    expect(form.get('scope')).toContain('https://graph.microsoft.com/.default');
  });

  it('asks the authority once for callers at the same moment', async () => {
    const tokens = client().tokens;
    const all = await Promise.all(Array.from({ length: 20 }, () => tokens.getToken()));
    expect(new Set(all.map((t) => t.token))).toEqual(new Set(['token-1']));
    expect(bed().server.tokenRequests()).toHaveLength(1);
  });

  it('asks for a configured scope instead of the default', async () => {
    await client({ scope: 'api://switchboard-test/.default' }).tokens.getToken();
    expect(formOf(bed().server.tokenRequests()[0]).get('scope')).toContain('api://switchboard-test/.default');
  });

  it('authenticates with a certificate: a client assertion signed by the key, no secret', async () => {
    const pems = await generate([{ name: 'commonName', value: 'switchboard-bot' }], { algorithm: 'sha256', keySize: 2048 });
    const thumbprintSha256 = new X509Certificate(pems.cert).fingerprint256.replace(/:/g, '').toLowerCase();
    const token = await client({ credential: { certificate: { privateKeyPem: pems.private, thumbprintSha256, x5c: pems.cert } } }).tokens.getToken();
    expect(token.token).toBe('token-1');

    const form = formOf(bed().server.tokenRequests()[0]);
    expect(form.get('client_secret')).toBeNull();
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const assertion = form.get('client_assertion')!;
    const header = decodeProtectedHeader(assertion);
    expect(header['x5t#S256']).toBeDefined();
    expect(header.x5c).toBeDefined();
    // The signature verifies with the certificate's public key, so msal really signed with our key.
    const key = await importX509(pems.cert, String(header.alg));
    const { payload } = await compactVerify(assertion, key);
    const claims = JSON.parse(Buffer.from(payload).toString('utf8'));
    expect(claims).toMatchObject({ iss: testClientId, sub: testClientId, aud: `${bed().server.origin}/${testTenantId}/oauth2/v2.0/token` });
  });

  it('wraps a refused credential into GraphAuthError with msal code and no secret in the message', async () => {
    bed().server.token = (req) => ({
      status: 401,
      body: {
        error: 'invalid_client',
        // A server that echoes what it got must still not leak the secret through our error.
        error_description: `AADSTS7000215: Invalid client secret provided. Got ${formOf(req).get('client_secret')}`,
        error_codes: [7000215],
      },
    });
    const error = await client().tokens.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphAuthError);
    expect((error as GraphAuthError).errorCode).toBe('invalid_client');
    expect((error as GraphAuthError).message).toContain('AADSTS7000215');
    expect((error as GraphAuthError).message).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
    expect((error as GraphAuthError).cause).toBeUndefined();
  });

  it('reports a network failure (untrusted certificate) as GraphAuthError', async () => {
    const pems = await generate([{ name: 'commonName', value: 'other-ca' }], { algorithm: 'sha256', keySize: 2048 });
    const error = await client({ tls: { ca: pems.cert } }).tokens.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphAuthError);
    expect((error as GraphAuthError).message).toMatch(/could not acquire a token for client/);
    expect((error as GraphAuthError).message).not.toContain(secret);
    expect(bed().server.requests).toEqual([]);
  });

  it('checkGraphToken reports readiness without throwing or exposing the token', async () => {
    const ready = await checkGraphToken(client());
    expect(ready).toMatchObject({ ok: true, fromCache: false });
    expect(JSON.stringify(ready)).not.toContain('token-1');

    const down = await checkGraphToken(client({ credential: { clientSecret: 'x' }, tls: { ca: 'not a pem' } }));
    expect(down.ok).toBe(false);
  });

  it('refuses unusable configuration before any request', () => {
    expect(() => client({ authorityHost: 'http://127.0.0.1:1' })).toThrow(GraphConfigError);
    expect(() => client({ authorityHost: 'http://127.0.0.1:1' })).toThrow(/authorityHost must be an https URL/);
    expect(() => client({ graphBaseUrl: 'not a url' })).toThrow(/graphBaseUrl is not a URL/);
    expect(() => client({ tenantId: 'a/b' })).toThrow(/tenantId/);
    expect(() => client({ credential: { clientSecret: '' } })).toThrow(/clientSecret is empty/);
    expect(() => client({ credential: { certificate: { privateKeyPem: 'nope', thumbprint: 'ab' } } })).toThrow(/not a PEM private key/);
    expect(() => client({ timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(bed().server.requests).toEqual([]);
  });
});
