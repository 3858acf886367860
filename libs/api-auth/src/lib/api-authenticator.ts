import { jwtVerify, type JWTPayload } from 'jose';
import { failure, isApiFailure } from './api-failure';
import { bearerToken, OpenIdKeySource, tokenProblem } from './openid-keys';

/** The OpenID configuration is fetched once and kept this long; an unknown key id still refetches the key set. */
const DISCOVERY_CACHE_MS = 60 * 60 * 1000;

/** The caller of the API, as its token says. */
export interface ApiPrincipal {
  /** `azp` (the client app) or `sub`: who placed a call, and the scope of its idempotency keys. */
  subject: string;
  roles: string[];
}

/**
 * Verifies the tokens of the platform's REST APIs: RS256 only, `iss` = the issuer the OpenID configuration names, `aud` = the
 * configured audience, `exp`/`nbf` (60 s skew), keys from the configuration's `jwks_uri`.
 * Throws an ApiFailure: 401 for a missing or invalid token, 503 when the issuer cannot be reached.
 */
export class ApiAuthenticator {
  private readonly keys: OpenIdKeySource;

  constructor(private readonly options: { openIdConfigurationUrl: string; audience: string }) {
    this.keys = new OpenIdKeySource(options.openIdConfigurationUrl, { cacheMs: DISCOVERY_CACHE_MS });
  }

  async authenticate(authorization: string | undefined): Promise<ApiPrincipal> {
    const token = bearerToken(authorization);
    if (!token) throw failure(401, 'Unauthenticated', 'missing bearer token in the Authorization header');
    let payload: JWTPayload;
    try {
      const { issuer, jwks } = await this.keys.get();
      if (!issuer) throw failure(503, 'AuthUnavailable', `tokens cannot be checked: OpenID configuration ${this.options.openIdConfigurationUrl} names no issuer`);
      ({ payload } = await jwtVerify(token, jwks, { issuer, audience: this.options.audience, algorithms: ['RS256'], clockTolerance: 60 }));
    } catch (error) {
      if (isApiFailure(error)) throw error;
      const problem = tokenProblem(error);
      throw problem.kind === 'unavailable'
        ? failure(503, 'AuthUnavailable', `tokens cannot be checked: ${problem.message}`)
        : failure(401, 'Unauthenticated', problem.message);
    }
    const subject = [payload['azp'], payload['appid'], payload.sub].find((v): v is string => typeof v === 'string' && v !== '');
    if (!subject) throw failure(401, 'Unauthenticated', 'token names no caller (no azp, appid or sub claim)');
    const roles = Array.isArray(payload['roles']) ? payload['roles'].filter((r): r is string => typeof r === 'string') : [];
    return { subject, roles };
  }

  /** The caller, when its token is valid and carries `role`; a 403 names the role `action` needs. */
  async authorize(authorization: string | undefined, role: string, action: string): Promise<ApiPrincipal> {
    const principal = await this.authenticate(authorization);
    if (!principal.roles.includes(role)) {
      throw failure(403, 'Forbidden', `${action} needs the ${role} role; the token has ${principal.roles.length ? principal.roles.join(', ') : 'no roles'}`);
    }
    return principal;
  }
}
