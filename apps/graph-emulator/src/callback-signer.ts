import { SignJWT } from 'jose';
import { Router, sendJson } from './http-kit';
import type { KeyRing } from './key-ring';
import type { RequestContext } from './request-context';

export const CALLBACK_ISSUER = 'https://api.botframework.com';
const CALLBACK_TOKEN_LIFETIME_S = 300;
/**
 * Graph sends the same token on many callbacks rather than signing each one; the emulator reuses a tenant's token
 * for half its lifetime, so a token still has minutes left when a bot checks it, and a bot's verified-token cache is
 * exercised as in production.
 */
const CALLBACK_TOKEN_REUSE_MS = (CALLBACK_TOKEN_LIFETIME_S * 1000) / 2;

interface IssuedToken {
  token: Promise<string>;
  kid: string;
  renewAtMs: number;
}

/**
 * Signs the bearer token on every Graph → bot notification, and serves the OpenID configuration
 * and JWKS a bot uses to check it (the emulator's stand-in for api.aps.skype.com).
 */
export class CallbackSigner {
  private readonly issued = new Map<string, IssuedToken>();

  constructor(
    private readonly baseUrl: string,
    private readonly botAppId: string,
    private readonly keys: KeyRing,
    private readonly now: () => number = Date.now,
  ) {}

  get openIdConfigurationUrl(): string {
    return `${this.baseUrl}/botframework/v1/.well-known/OpenIdConfiguration`;
  }

  register(router: Router<RequestContext>): void {
    router.on('GET', '/botframework/v1/.well-known/OpenIdConfiguration', (ctx) =>
      sendJson(ctx.res, 200, {
        issuer: CALLBACK_ISSUER,
        jwks_uri: `${this.baseUrl}/botframework/v1/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      }),
    );
    router.on('GET', '/botframework/v1/keys', (ctx) => sendJson(ctx.res, 200, this.keys.jwks()));
  }

  /** The tenant's current callback token: the one already issued while it is young and its key current, else a new one. */
  sign(tenantId: string): Promise<string> {
    const now = this.now();
    const kept = this.issued.get(tenantId);
    if (kept && kept.kid === this.keys.kid && now < kept.renewAtMs) return kept.token;
    const issued: IssuedToken = { token: this.signNew(tenantId), kid: this.keys.kid, renewAtMs: now + CALLBACK_TOKEN_REUSE_MS };
    this.issued.set(tenantId, issued);
    issued.token.catch(() => {
      if (this.issued.get(tenantId) === issued) this.issued.delete(tenantId);
    });
    return issued.token;
  }

  private signNew(tenantId: string): Promise<string> {
    const nowSeconds = Math.floor(this.now() / 1000);
    return new SignJWT({ tid: tenantId })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.keys.kid })
      .setIssuer(CALLBACK_ISSUER)
      .setAudience(this.botAppId)
      .setIssuedAt(nowSeconds)
      .setNotBefore(nowSeconds)
      .setExpirationTime(nowSeconds + CALLBACK_TOKEN_LIFETIME_S)
      .sign(this.keys.signingKey);
  }

  rotate(): Promise<{ kid: string; previousKid: string }> {
    return this.keys.rotate();
  }
}
