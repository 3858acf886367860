import { createServer, type Server } from 'node:http';
import { SignJWT } from 'jose';
import { makeKey, type TestKey } from '../../testing/test-issuer';

export interface ApiTokenOptions {
  roles?: string[];
  audience?: string;
  issuer?: string;
  subject?: string;
  /** Seconds since the epoch, or a jose time span such as '10m'. */
  expiresIn?: string | number;
  key?: TestKey;
}

/**
 * An Entra-like issuer of call-control API tokens for tests: serves a v2 OpenID configuration and its JWKS on
 * loopback and signs RS256 tokens with `roles`, `azp` and `sub`, as Entra's client-credentials tokens carry them.
 */
export class ApiTokenIssuer {
  readonly issuer: string;
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly key: TestKey,
  ) {
    this.issuer = `${url}/tenant-1/v2.0`;
  }

  static async start(): Promise<ApiTokenIssuer> {
    const key = await makeKey('api-key-1');
    const server = createServer((req, res) => {
      const base = `http://${req.headers.host}`;
      res.setHeader('content-type', 'application/json');
      if (req.url === '/tenant-1/v2.0/.well-known/openid-configuration') {
        res.end(JSON.stringify({ issuer: `${base}/tenant-1/v2.0`, jwks_uri: `${base}/tenant-1/discovery/v2.0/keys` }));
      } else if (req.url === '/tenant-1/discovery/v2.0/keys') {
        res.end(JSON.stringify({ keys: [key.jwk] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return new ApiTokenIssuer(server, `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, key);
  }

  get openIdConfigurationUrl(): string {
    return `${this.issuer}/.well-known/openid-configuration`;
  }

  token(options: ApiTokenOptions = {}): Promise<string> {
    const key = options.key ?? this.key;
    const subject = options.subject ?? 'client-app-1';
    return new SignJWT({ roles: options.roles ?? ['Calls.Read', 'Calls.Control', 'Calls.Place'], azp: subject, tid: 'tenant-1' })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? 'api://switchboard')
      .setSubject(subject)
      .setIssuedAt()
      .setNotBefore('-1m')
      .setExpirationTime(options.expiresIn ?? '10m')
      .sign(key.privateKey);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
