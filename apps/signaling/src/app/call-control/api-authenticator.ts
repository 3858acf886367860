import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { CallControlFailure } from './call-control-failure';

/** The OpenID configuration is fetched once and kept this long; an unknown key id still refetches the key set. */
const DISCOVERY_CACHE_MS = 60 * 60 * 1000;

/** The caller of the API, as its token says. */
export interface ApiPrincipal {
  /** `azp` (the client app) or `sub`: who placed a call, and the scope of its idempotency keys. */
  subject: string;
  roles: string[];
}

interface Discovery {
  fetchedAt: number;
  issuer: string;
  jwks: ReturnType<typeof createRemoteJWKSet>;
}

const refuse = (status: 401 | 503, code: string, message: string): CallControlFailure => ({ status, code, message });

/**
 * Verifies call-control API tokens: RS256 only, `iss` = the issuer the OpenID configuration names, `aud` = the
 * configured audience, `exp`/`nbf` (60 s skew), keys from the configuration's `jwks_uri`.
 * Throws a {@link CallControlFailure}: 401 for a missing or invalid token, 503 when the issuer cannot be reached.
 */
export class ApiAuthenticator {
  private discovery?: Promise<Discovery>;

  constructor(private readonly options: { openIdConfigurationUrl: string; audience: string }) {}

  async authenticate(authorization: string | undefined): Promise<ApiPrincipal> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw refuse(401, 'Unauthenticated', 'missing bearer token in the Authorization header');
    const { issuer, jwks } = await this.load();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, { issuer, audience: this.options.audience, algorithms: ['RS256'], clockTolerance: 60 }));
    } catch (error) {
      throw explain(error);
    }
    const subject = [payload['azp'], payload['appid'], payload.sub].find((v): v is string => typeof v === 'string' && v !== '');
    if (!subject) throw refuse(401, 'Unauthenticated', 'token names no caller (no azp, appid or sub claim)');
    const roles = Array.isArray(payload['roles']) ? payload['roles'].filter((r): r is string => typeof r === 'string') : [];
    return { subject, roles };
  }

  private load(): Promise<Discovery> {
    const current = this.discovery;
    if (current) return current.then((d) => (Date.now() - d.fetchedAt < DISCOVERY_CACHE_MS ? d : this.refresh()));
    return this.refresh();
  }

  private refresh(): Promise<Discovery> {
    const loading = this.fetchDiscovery();
    this.discovery = loading;
    // A failed fetch is not cached: the next request tries again.
    loading.catch(() => {
      if (this.discovery === loading) this.discovery = undefined;
    });
    return loading;
  }

  private async fetchDiscovery(): Promise<Discovery> {
    const url = this.options.openIdConfigurationUrl;
    let document: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      document = (await response.json()) as typeof document;
    } catch (error) {
      throw refuse(503, 'AuthUnavailable', `tokens cannot be checked: OpenID configuration ${url} is unavailable (${(error as Error).message})`);
    }
    if (typeof document.issuer !== 'string' || typeof document.jwks_uri !== 'string') {
      throw refuse(503, 'AuthUnavailable', `tokens cannot be checked: OpenID configuration ${url} lacks issuer or jwks_uri`);
    }
    return { fetchedAt: Date.now(), issuer: document.issuer, jwks: createRemoteJWKSet(new URL(document.jwks_uri), { cooldownDuration: 5000 }) };
  }
}

function explain(error: unknown): CallControlFailure {
  if (error instanceof errors.JWTExpired) return refuse(401, 'Unauthenticated', 'token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) return refuse(401, 'Unauthenticated', `token ${error.claim} claim is not accepted: ${error.message}`);
  if (error instanceof errors.JOSEAlgNotAllowed) return refuse(401, 'Unauthenticated', 'token algorithm is not RS256');
  if (error instanceof errors.JWKSNoMatchingKey) return refuse(401, 'Unauthenticated', 'token is signed with a key the issuer does not publish');
  if (error instanceof errors.JWSSignatureVerificationFailed) return refuse(401, 'Unauthenticated', 'token signature is invalid');
  if (error instanceof errors.JWKSTimeout) return refuse(503, 'AuthUnavailable', 'tokens cannot be checked: the signing keys did not arrive in time');
  if (error instanceof errors.JOSEError) return refuse(401, 'Unauthenticated', `token is invalid: ${error.message}`);
  return refuse(401, 'Unauthenticated', 'token is invalid');
}
