import { ConfidentialClientApplication, type Configuration } from '@azure/msal-node';
import { SignJWT, createRemoteJWKSet, decodeJwt, importPKCS8, jwtVerify } from 'jose';
import { X509Certificate } from 'node:crypto';
import { Agent as HttpsAgent } from 'node:https';
import { generate } from 'selfsigned';
import { type TestEmulator, call, msalNetworkClient, startTestEmulator } from '../test/harness';

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

async function botCertificate() {
  const pems = await generate([{ name: 'commonName', value: 'switchboard-bot' }], { keySize: 2048, algorithm: 'sha256' });
  const thumbprintSha256 = new X509Certificate(pems.cert).fingerprint256.replace(/:/g, '');
  return { certPem: pems.cert, privateKey: pems.private, thumbprintSha256 };
}

function msalApp(emulator: TestEmulator, auth: Partial<Configuration['auth']>) {
  return new ConfidentialClientApplication({
    auth: {
      clientId: emulator.botAppId,
      authority: emulator.authority,
      knownAuthorities: [new URL(emulator.baseUrl).host],
      ...auth,
    },
    system: { networkClient: msalNetworkClient(emulator.caPem) },
  });
}

describe('Entra ID token endpoint', () => {
  let emulator: TestEmulator;
  let cert: Awaited<ReturnType<typeof botCertificate>>;

  beforeAll(async () => {
    cert = await botCertificate();
    emulator = await startTestEmulator({ botCertificatePem: cert.certPem });
  });
  afterAll(() => emulator.dispose());

  it('gives msal-node a Graph token for the client secret, verifiable with the served JWKS', async () => {
    const result = await msalApp(emulator, { clientSecret: 'local-dev-secret' }).acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
    expect(result?.accessToken).toBeTruthy();
    const discovery = (await call(emulator, 'GET', `/${emulator.tenantId}/v2.0/.well-known/openid-configuration`)).json as { jwks_uri: string; token_endpoint: string };
    expect(discovery.token_endpoint).toBe(`${emulator.authority}/oauth2/v2.0/token`);
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri), { agent: new HttpsAgent({ ca: emulator.caPem }) });
    const { payload } = await jwtVerify(result!.accessToken, jwks, { audience: 'https://graph.microsoft.com', algorithms: ['RS256'] });
    expect(payload).toMatchObject({ tid: emulator.tenantId, appid: emulator.botAppId });
    expect(payload['roles']).toEqual(expect.arrayContaining(['Calls.AccessMedia.All', 'Calls.Initiate.All']));
  });

  it('accepts a client assertion signed with the registered certificate (msal-node clientCertificate)', async () => {
    const app = msalApp(emulator, { clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKey } });
    const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
    expect(decodeJwt(result!.accessToken)['appid']).toBe(emulator.botAppId);
  });

  it('refuses an assertion signed with another key as invalid_client', async () => {
    const other = await botCertificate();
    const app = msalApp(emulator, { clientCertificate: { thumbprintSha256: other.thumbprintSha256, privateKey: other.privateKey } });
    await expect(app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] })).rejects.toMatchObject({ errorCode: 'invalid_client' });
  });

  it('tolerates a few seconds of clock skew in an assertion but not one from the far future', async () => {
    const key = await importPKCS8(cert.privateKey, 'RS256');
    const assertion = (nbfOffsetS: number) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(emulator.botAppId)
        .setSubject(emulator.botAppId)
        .setAudience(`${emulator.authority}/oauth2/v2.0/token`)
        .setNotBefore(now + nbfOffsetS)
        .setIssuedAt(now + nbfOffsetS)
        .setExpirationTime(now + nbfOffsetS + 600)
        .sign(key);
    };
    const send = async (nbfOffsetS: number) =>
      tokenRequest({
        grant_type: 'client_credentials',
        client_id: emulator.botAppId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await assertion(nbfOffsetS),
        scope: GRAPH_SCOPE,
      });
    expect((await send(2)).status).toBe(200);
    expect((await send(3600)).status).toBe(401);
  });

  const tokenRequest = (fields: Record<string, string>, contentType = 'application/x-www-form-urlencoded', tenant = emulator.tenantId) =>
    call(emulator, 'POST', `/${tenant}/oauth2/v2.0/token`, { raw: new URLSearchParams(fields).toString(), headers: { 'content-type': contentType } });
  const base = () => ({ grant_type: 'client_credentials', client_id: emulator.botAppId, client_secret: 'local-dev-secret', scope: GRAPH_SCOPE });

  it('answers a wrong secret with 401 invalid_client in the AADSTS shape, without echoing the secret', async () => {
    const res = await tokenRequest({ ...base(), client_secret: 'guess-123' });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    const body = res.json as { error_description: string; trace_id: string; correlation_id: string; timestamp: string };
    expect(body.error_description).toMatch(/^AADSTS7000215: /);
    expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.text).not.toContain('guess-123');
  });

  it.each([
    ['an unknown client', { client_id: '00000000-0000-0000-0000-000000000000' }, 400, 'unauthorized_client'],
    ['another grant type', { grant_type: 'password' }, 400, 'unsupported_grant_type'],
    ['a scope without /.default', { scope: 'https://graph.microsoft.com/Calls.Initiate.All' }, 400, 'invalid_scope'],
    ['no credential', { client_secret: '' }, 401, 'invalid_client'],
  ])('refuses %s', async (_name, change, status, error) => {
    const fields: Record<string, string> = { ...base(), ...change };
    if (fields['client_secret'] === '') delete fields['client_secret'];
    const res = await tokenRequest(fields);
    expect(res.status).toBe(status);
    expect(res.json).toMatchObject({ error });
  });

  it('issues tokens with the bot roles set through the control API, as a changed admin consent would', async () => {
    const roles = (await call(emulator, 'GET', '/emulator/bot/roles')).json as { roles: string[] };
    expect(roles.roles).toContain('Calls.JoinGroupCall.All');
    try {
      const put = await call(emulator, 'PUT', '/emulator/bot/roles', { body: { roles: ['Calls.Initiate.All'] } });
      expect(put.json).toEqual({ roles: ['Calls.Initiate.All'] });
      const token = (await tokenRequest(base())).json as { access_token: string };
      expect(decodeJwt(token.access_token)['roles']).toEqual(['Calls.Initiate.All']);
      await call(emulator, 'PUT', '/emulator/bot/roles', { body: { roles: [] } });
      expect(decodeJwt(((await tokenRequest(base())).json as { access_token: string }).access_token)['roles']).toBeUndefined();
      expect((await call(emulator, 'PUT', '/emulator/bot/roles', { body: { roles: ['bad role'] } })).status).toBe(400);
    } finally {
      await call(emulator, 'PUT', '/emulator/bot/roles', { body: roles });
    }
  });

  it('refuses an unknown tenant and a JSON body', async () => {
    expect((await tokenRequest(base(), undefined, '11111111-1111-1111-1111-111111111111')).json).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
    expect((await tokenRequest(base(), 'application/json')).status).toBe(400);
  });
});

describe('Entra ID without a registered certificate', () => {
  let emulator: TestEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.dispose());

  it('accepts a well-formed assertion whose iss and sub are the client id', async () => {
    const cert = await botCertificate();
    const app = msalApp(emulator, { clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKey } });
    await expect(app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] })).resolves.toBeTruthy();
  });

  it('refuses an assertion that is not a JWT', async () => {
    const res = await call(emulator, 'POST', `/${emulator.tenantId}/oauth2/v2.0/token`, {
      raw: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: emulator.botAppId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: 'not-a-jwt',
        scope: GRAPH_SCOPE,
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
  });
});
