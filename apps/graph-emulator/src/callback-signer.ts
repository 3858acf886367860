import { SignJWT } from 'jose';
import { Router, sendJson } from './http-kit';
import type { KeyRing } from './key-ring';
import type { RequestContext } from './request-context';

export const CALLBACK_ISSUER = 'https://api.botframework.com';
/** Callback tokens live briefly: each one covers a single delivery attempt. */
const CALLBACK_TOKEN_LIFETIME_S = 300;

/**
 * Signs the bearer token on every Graph → bot notification, and serves the OpenID configuration
 * and JWKS a bot uses to check it (the emulator's stand-in for api.aps.skype.com).
 */
export class CallbackSigner {
  constructor(
    private readonly baseUrl: string,
    private readonly botAppId: string,
    private readonly keys: KeyRing,
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

  sign(tenantId: string): Promise<string> {
    return new SignJWT({ tid: tenantId })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.keys.kid })
      .setIssuer(CALLBACK_ISSUER)
      .setAudience(this.botAppId)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime(`${CALLBACK_TOKEN_LIFETIME_S}s`)
      .sign(this.keys.signingKey);
  }

  rotate(): Promise<{ kid: string; previousKid: string }> {
    return this.keys.rotate();
  }
}
