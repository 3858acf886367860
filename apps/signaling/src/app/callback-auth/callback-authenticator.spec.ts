import { makeKey, TestIssuer } from '../../testing/test-issuer';
import { CallbackAuthenticator } from './callback-authenticator';

const appId = 'bot-app-id';

describe('CallbackAuthenticator', () => {
  let issuer: TestIssuer;
  let auth: CallbackAuthenticator;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(() => issuer.stop());
  beforeEach(() => {
    auth = new CallbackAuthenticator({ openIdConfigurationUrl: issuer.openIdConfigurationUrl, audience: appId, clockToleranceSeconds: 5 });
  });

  const refusedWith = async (authorization: string | undefined, status: number, message: RegExp) => {
    await expect(auth.authenticate(authorization)).rejects.toMatchObject({ status, message: expect.stringMatching(message) });
  };

  it('accepts a token signed by a published key, exposing the tenant', async () => {
    const identity = await auth.authenticate(`Bearer ${await issuer.token(appId, { tid: 'tenant-9' })}`);
    expect(identity).toMatchObject({ tenantId: 'tenant-9', issuer: 'https://api.botframework.com' });
  });

  it('also accepts the Graph issuer', async () => {
    await expect(auth.authenticate(`Bearer ${await issuer.token(appId, { issuer: 'https://graph.microsoft.com' })}`)).resolves.toMatchObject({
      issuer: 'https://graph.microsoft.com',
    });
  });

  it('refuses a missing or malformed Authorization header with 401', async () => {
    await refusedWith(undefined, 401, /missing bearer token/);
    await refusedWith('Basic abc', 401, /missing bearer token/);
    await refusedWith('Bearer not-a-jwt', 401, /invalid/);
  });

  it('refuses an expired token with 401', async () => {
    await refusedWith(`Bearer ${await issuer.token(appId, { expiresIn: Math.floor(Date.now() / 1000) - 120 })}`, 401, /expired/);
  });

  it('refuses a token signed by another key under a published kid with 401', async () => {
    const forged = await makeKey('key-1');
    await refusedWith(`Bearer ${await issuer.token(appId, { key: forged })}`, 401, /signature/);
  });

  it('refuses a token signed by an unknown key with 401', async () => {
    const unknown = await makeKey('key-unknown');
    await refusedWith(`Bearer ${await issuer.token(appId, { key: unknown })}`, 401, /unknown key/);
  });

  it('refuses alg none with 401', async () => {
    await refusedWith(`Bearer ${issuer.unsignedToken(appId)}`, 401, /RS256|invalid/);
  });

  it('refuses another audience, another issuer and a token without tid with 403', async () => {
    await refusedWith(`Bearer ${await issuer.token('someone-else')}`, 403, /aud/);
    await refusedWith(`Bearer ${await issuer.token(appId, { issuer: 'https://evil.example' })}`, 403, /iss/);
    await refusedWith(`Bearer ${await issuer.token(appId, { tid: null })}`, 403, /tid/);
  });

  it('picks up a rotated key: an unknown kid refetches the key set', async () => {
    auth = new CallbackAuthenticator({ openIdConfigurationUrl: issuer.openIdConfigurationUrl, audience: appId, keyRefetchCooldownMs: 0 });
    await auth.authenticate(`Bearer ${await issuer.token(appId)}`);
    const fetchesBefore = issuer.jwksFetches;
    const rotated = await makeKey('key-2');
    issuer.published = [rotated, ...issuer.published];
    await expect(auth.authenticate(`Bearer ${await issuer.token(appId, { key: rotated })}`)).resolves.toMatchObject({ tenantId: 'tenant-1' });
    expect(issuer.jwksFetches).toBe(fetchesBefore + 1);
    issuer.published = issuer.published.slice(1);
  });

  it('answers 503 when the OpenID configuration cannot be fetched, so Graph retries', async () => {
    const offline = new CallbackAuthenticator({ openIdConfigurationUrl: 'http://127.0.0.1:9/none', audience: appId });
    await expect(offline.authenticate(`Bearer ${await issuer.token(appId)}`)).rejects.toMatchObject({ status: 503 });
  });
});

describe('CallbackAuthenticator: verified tokens are kept until they expire', () => {
  let issuer: TestIssuer;
  let clockMs: number;
  let auth: CallbackAuthenticator;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(() => issuer.stop());
  beforeEach(() => {
    clockMs = Date.now();
    auth = new CallbackAuthenticator({
      openIdConfigurationUrl: issuer.openIdConfigurationUrl,
      audience: appId,
      clockToleranceSeconds: 5,
      verifiedTokens: { maxEntries: 2, maxAgeMs: 60 * 60 * 1000 },
      now: () => clockMs,
    });
  });

  it('accepts a kept token again without checking it anew (a check now would refuse it: not valid before)', async () => {
    const token = await issuer.token(appId, { tid: 'tenant-7' });
    await expect(auth.authenticate(`Bearer ${token}`)).resolves.toMatchObject({ tenantId: 'tenant-7' });
    clockMs -= 5 * 60 * 1000;
    await expect(auth.authenticate(`Bearer ${token}`)).resolves.toMatchObject({ tenantId: 'tenant-7' });
  });

  it('checks a token again once its exp has passed, and refuses it', async () => {
    const token = await issuer.token(appId, { expiresIn: '2m' });
    await auth.authenticate(`Bearer ${token}`);
    clockMs += 3 * 60 * 1000;
    await expect(auth.authenticate(`Bearer ${token}`)).rejects.toMatchObject({ status: 401, message: expect.stringMatching(/expired/) });
  });

  it('keeps at most maxEntries tokens, dropping the least recently used', async () => {
    const [first, second, third] = await Promise.all(['61s', '62s', '63s'].map((expiresIn) => issuer.token(appId, { expiresIn })));
    for (const token of [first, second, first, third]) await auth.authenticate(`Bearer ${token}`);
    clockMs -= 5 * 60 * 1000; // from here on, a token that is checked anew is refused
    for (const kept of [first, third]) await expect(auth.authenticate(`Bearer ${kept}`)).resolves.toMatchObject({ tenantId: 'tenant-1' });
    await expect(auth.authenticate(`Bearer ${second}`)).rejects.toMatchObject({ status: 401 });
  });
});
