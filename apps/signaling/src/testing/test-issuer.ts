import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';

export interface TestKey {
  kid: string;
  privateKey: KeyLike;
  jwk: JWK;
}

export async function makeKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/**
 * A callback issuer for tests: serves an OpenID configuration and JWKS over plain HTTP on loopback and signs
 * tokens the way Graph's calling platform does. `published` controls which keys the JWKS shows (rotation).
 */
export class TestIssuer {
  published: TestKey[] = [];
  jwksFetches = 0;
  private server?: Server;
  url = '';

  static async start(): Promise<TestIssuer> {
    const issuer = new TestIssuer();
    issuer.published = [await makeKey('key-1')];
    await issuer.listen();
    return issuer;
  }

  get openIdConfigurationUrl(): string {
    return `${this.url}/v1/.well-known/OpenIdConfiguration`;
  }

  private listen(): Promise<void> {
    const server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/.well-known/OpenIdConfiguration') {
        res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${this.url}/v1/keys` }));
      } else if (req.url === '/v1/keys') {
        this.jwksFetches += 1;
        res.end(JSON.stringify({ keys: this.published.map((k) => k.jwk) }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    this.server = server;
    return new Promise((resolve) =>
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
        resolve();
      }),
    );
  }

  /** A token as Graph would send it; `overrides` set or (with undefined) drop claims. */
  async token(
    audience: string,
    options: { key?: TestKey; issuer?: string; tid?: string | null; expiresIn?: string | number; kid?: string } = {},
  ): Promise<string> {
    const key = options.key ?? this.published[0];
    const claims: Record<string, unknown> = options.tid === null ? {} : { tid: options.tid ?? 'tenant-1' };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? key.kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? 'https://api.botframework.com')
      .setAudience(audience)
      .setIssuedAt()
      .setNotBefore('-1m')
      .setExpirationTime(options.expiresIn ?? '10m')
      .sign(key.privateKey);
  }

  /** An unsigned `alg: none` token with otherwise valid claims. */
  unsignedToken(audience: string): string {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    return `${part({ alg: 'none', typ: 'JWT' })}.${part({ iss: 'https://api.botframework.com', aud: audience, tid: 't', iat: now, exp: now + 600 })}.`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
