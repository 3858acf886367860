import { createRemoteJWKSet, jwtVerify } from 'jose';
import { Agent as HttpsAgent } from 'node:https';
import { type TestEmulator, call, startTestEmulator } from '../test/harness';

const API_SCOPE = 'api://switchboard-test/.default';

describe('call-control API tokens for customer apps', () => {
  let emulator: TestEmulator;

  beforeAll(async () => {
    emulator = await startTestEmulator({
      apiAudience: 'api://switchboard-test',
      apiClient: { clientId: 'default-app', secret: 'default-app-secret', roles: ['Calls.Read', 'Calls.Control', 'Calls.Place'] },
    });
  });
  afterAll(() => emulator.dispose());

  const token = (clientId: string, secret: string, scope = API_SCOPE) =>
    call(emulator, 'POST', `/${emulator.tenantId}/oauth2/v2.0/token`, {
      raw: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  const register = (clientId: string, body: unknown) => call(emulator, 'PUT', `/emulator/api-clients/${clientId}`, { body });

  /** Verifies like an API would: issuer → discovery document → JWKS. */
  async function verify(accessToken: string) {
    expect(emulator.apiIssuer).toBe(`${emulator.baseUrl}/${emulator.tenantId}/v2.0`);
    const discovery = await call(emulator, 'GET', `${new URL(emulator.apiIssuer).pathname}/.well-known/openid-configuration`);
    const config = discovery.json as { issuer: string; jwks_uri: string };
    expect(config.issuer).toBe(emulator.apiIssuer);
    const jwks = createRemoteJWKSet(new URL(config.jwks_uri), { agent: new HttpsAgent({ ca: emulator.caPem }) });
    const { payload } = await jwtVerify(accessToken, jwks, { issuer: config.issuer, audience: 'api://switchboard-test', algorithms: ['RS256'] });
    return payload;
  }

  it('issues the default client a token with its roles, verifiable through OpenID discovery', async () => {
    const res = await token('default-app', 'default-app-secret');
    expect(res.status).toBe(200);
    const body = res.json as { access_token: string; token_type: string; expires_in: number };
    expect(body).toMatchObject({ token_type: 'Bearer' });
    const claims = await verify(body.access_token);
    expect(claims).toMatchObject({ azp: 'default-app', appid: 'default-app', tid: emulator.tenantId, ver: '2.0' });
    expect(claims['roles']).toEqual(['Calls.Read', 'Calls.Control', 'Calls.Place']);
  });

  it('a registered client gets exactly its roles: a role it does not have is absent', async () => {
    expect((await register('reader-app', { secret: 'reader-secret', roles: ['Calls.Read'] })).status).toBe(200);
    const claims = await verify(((await token('reader-app', 'reader-secret')).json as { access_token: string }).access_token);
    expect(claims['roles']).toEqual(['Calls.Read']);
    expect(claims['roles']).not.toContain('Calls.Place');
  });

  it('refuses a wrong secret, an unknown client and the Graph scope, without echoing the secret', async () => {
    const wrong = await token('reader-app', 'guess-secret-1');
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ error: 'invalid_client' });
    expect(wrong.text).not.toContain('guess-secret-1');
    expect((await token('nobody-app', 'whatever-secret')).json).toMatchObject({ error: 'unauthorized_client' });
    expect((await token('default-app', 'default-app-secret', 'https://graph.microsoft.com/.default')).json).toMatchObject({ error: 'invalid_scope' });
  });

  it('refuses a bad registration with 400 and keeps the previous one', async () => {
    await register('kept-app', { secret: 'kept-secret', roles: ['Calls.Read'] });
    expect((await register('kept-app', { secret: 'short', roles: ['Calls.Place'] })).status).toBe(400);
    expect((await register('kept-app', { secret: 'long-enough', roles: ['bad role!'] })).status).toBe(400);
    expect((await register('bad%20id', { secret: 'long-enough', roles: [] })).status).toBe(400);
    const claims = await verify(((await token('kept-app', 'kept-secret')).json as { access_token: string }).access_token);
    expect(claims['roles']).toEqual(['Calls.Read']);
  });

  it('does not accept an API token on the Graph API', async () => {
    const { access_token } = (await token('default-app', 'default-app-secret')).json as { access_token: string };
    expect((await call(emulator, 'GET', '/v1.0/communications/calls/x', { token: access_token })).status).toBe(401);
  });
});
