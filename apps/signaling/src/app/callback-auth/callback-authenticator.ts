import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

/** Issuers Graph's calling platform signs callbacks with (contract §2; the samples accept both). */
export const CALLBACK_ISSUERS = ['https://api.botframework.com', 'https://graph.microsoft.com'] as const;

/** The samples cache the OpenID configuration for two hours. */
const OIDC_CACHE_MS = 2 * 60 * 60 * 1000;

export interface CallbackIdentity {
  tenantId: string;
  issuer: string;
  claims: JWTPayload;
}

/** 401: we could not authenticate the caller; 403: a genuine token that is not meant for this bot; 503: we could not check. */
export class CallbackAuthError extends Error {
  override readonly name = 'CallbackAuthError';
  constructor(
    readonly status: 401 | 403 | 503,
    message: string,
  ) {
    super(message);
  }
}

interface KeySource {
  fetchedAt: number;
  jwks: ReturnType<typeof createRemoteJWKSet>;
}

/**
 * Verifies the bearer JWT on Graph's calling callbacks: RS256 only, issuer in {@link CALLBACK_ISSUERS}, audience = the
 * bot's app id, a `tid` claim, keys from the OpenID configuration's `jwks_uri` (cached; an unknown `kid` refetches
 * the key set, which is how key rotation is picked up).
 */
export class CallbackAuthenticator {
  private keys?: Promise<KeySource>;

  constructor(
    private readonly options: {
      openIdConfigurationUrl: string;
      audience: string;
      clockToleranceSeconds?: number;
      /** Least time between two key-set fetches caused by unknown key ids (bounds what forged kids can cost). */
      keyRefetchCooldownMs?: number;
    },
  ) {}

  async authenticate(authorization: string | undefined): Promise<CallbackIdentity> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new CallbackAuthError(401, 'missing bearer token in the Authorization header');
    const { jwks } = await this.keySource();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: [...CALLBACK_ISSUERS],
        audience: this.options.audience,
        algorithms: ['RS256'],
        clockTolerance: this.options.clockToleranceSeconds ?? 60,
      }));
    } catch (error) {
      throw this.refusal(error);
    }
    const tenantId = payload['tid'];
    if (typeof tenantId !== 'string' || tenantId === '') throw new CallbackAuthError(403, 'token has no tid (tenant) claim');
    return { tenantId, issuer: payload.iss ?? '', claims: payload };
  }

  private refusal(error: unknown): CallbackAuthError {
    if (error instanceof errors.JWTClaimValidationFailed && (error.claim === 'aud' || error.claim === 'iss')) {
      return new CallbackAuthError(403, `token ${error.claim} is not accepted: ${error.message}`);
    }
    if (error instanceof errors.JWTExpired) return new CallbackAuthError(401, 'token has expired');
    if (error instanceof errors.JOSEAlgNotAllowed) return new CallbackAuthError(401, 'token algorithm is not RS256');
    if (error instanceof errors.JWKSNoMatchingKey) return new CallbackAuthError(401, 'token is signed with an unknown key');
    if (error instanceof errors.JWSSignatureVerificationFailed) return new CallbackAuthError(401, 'token signature is invalid');
    if (error instanceof errors.JWKSTimeout || (error instanceof Error && /fetch|ECONN|ENOTFOUND|socket/i.test(error.message))) {
      return new CallbackAuthError(503, `signing keys are unavailable: ${error.message}`);
    }
    if (error instanceof errors.JOSEError) return new CallbackAuthError(401, `token is invalid: ${error.message}`);
    return new CallbackAuthError(401, 'token is invalid');
  }

  /** The key set from the OpenID configuration, refreshed after {@link OIDC_CACHE_MS} or after a failed fetch. */
  private keySource(): Promise<KeySource> {
    const current = this.keys;
    if (current) {
      return current.then(
        (k) => (Date.now() - k.fetchedAt < OIDC_CACHE_MS ? k : this.refreshKeys()),
        () => this.refreshKeys(),
      );
    }
    return this.refreshKeys();
  }

  private refreshKeys(): Promise<KeySource> {
    const loading = this.loadKeys();
    this.keys = loading;
    loading.catch(() => {
      if (this.keys === loading) this.keys = undefined;
    });
    return loading;
  }

  private async loadKeys(): Promise<KeySource> {
    const url = this.options.openIdConfigurationUrl;
    let config: { jwks_uri?: unknown };
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      config = (await response.json()) as { jwks_uri?: unknown };
    } catch (error) {
      throw new CallbackAuthError(503, `OpenID configuration ${url} is unavailable: ${(error as Error).message}`);
    }
    if (typeof config.jwks_uri !== 'string') {
      throw new CallbackAuthError(503, `OpenID configuration ${url} has no jwks_uri`);
    }
    return { fetchedAt: Date.now(), jwks: createRemoteJWKSet(new URL(config.jwks_uri), { cooldownDuration: this.options.keyRefetchCooldownMs ?? 5000 }) };
  }
}
