import { jwtVerify, type JWTPayload } from 'jose';
import { bearerToken, OpenIdKeySource, tokenProblem } from '@switchboard/api-auth';
import { VerifiedTokenCache } from './verified-token-cache';

/** Issuers Graph's calling platform signs callbacks with (contract §2; the samples accept both). */
export const CALLBACK_ISSUERS = ['https://api.botframework.com', 'https://graph.microsoft.com'] as const;

/** The samples cache the OpenID configuration for two hours. */
const OIDC_CACHE_MS = 2 * 60 * 60 * 1000;

/**
 * Verified tokens kept: Graph reuses a token for many callbacks, and a deployment sees a few per tenant at a time.
 * A kept token is checked again after ten minutes at most, so a key withdrawn from the key set stops being
 * honoured soon even for tokens that have not expired.
 */
const VERIFIED_TOKENS = { maxEntries: 4096, maxAgeMs: 10 * 60 * 1000 };

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

/**
 * Verifies the bearer JWT on Graph's calling callbacks: RS256 only, issuer in {@link CALLBACK_ISSUERS}, audience = the
 * bot's app id, a `tid` claim, keys from the OpenID configuration's `jwks_uri` (cached; rotation picked up).
 */
export class CallbackAuthenticator {
  private readonly keys: OpenIdKeySource;
  private readonly verified: VerifiedTokenCache<CallbackIdentity>;

  constructor(
    private readonly options: {
      openIdConfigurationUrl: string;
      audience: string;
      clockToleranceSeconds?: number;
      /** Least time between two key-set fetches caused by unknown key ids. */
      keyRefetchCooldownMs?: number;
      /** How many verified tokens are kept, and for how long at most (see {@link VERIFIED_TOKENS}). */
      verifiedTokens?: { maxEntries: number; maxAgeMs: number };
      /** The clock tokens are checked against (tests move it). */
      now?: () => number;
    },
  ) {
    this.keys = new OpenIdKeySource(options.openIdConfigurationUrl, { cacheMs: OIDC_CACHE_MS, keyRefetchCooldownMs: options.keyRefetchCooldownMs });
    this.verified = new VerifiedTokenCache({ ...(options.verifiedTokens ?? VERIFIED_TOKENS), now: options.now });
  }

  async authenticate(authorization: string | undefined): Promise<CallbackIdentity> {
    const token = bearerToken(authorization);
    if (!token) throw new CallbackAuthError(401, 'missing bearer token in the Authorization header');
    const known = this.verified.get(token);
    if (known) return known;
    const identity = await this.verify(token);
    this.verified.set(token, identity, identity.claims.exp);
    return identity;
  }

  private async verify(token: string): Promise<CallbackIdentity> {
    let payload: JWTPayload;
    try {
      const { jwks } = await this.keys.get();
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: [...CALLBACK_ISSUERS],
        audience: this.options.audience,
        algorithms: ['RS256'],
        clockTolerance: this.options.clockToleranceSeconds ?? 60,
        ...(this.options.now ? { currentDate: new Date(this.options.now()) } : {}),
      }));
    } catch (error) {
      const problem = tokenProblem(error);
      if (problem.kind === 'unavailable') throw new CallbackAuthError(503, problem.message);
      const notForUs = problem.kind === 'claim' && (problem.claim === 'aud' || problem.claim === 'iss');
      throw new CallbackAuthError(notForUs ? 403 : 401, problem.message);
    }
    const tenantId = payload['tid'];
    if (typeof tenantId !== 'string' || tenantId === '') throw new CallbackAuthError(403, 'token has no tid (tenant) claim');
    // Frozen: the same identity is handed to every request that presents this token.
    return Object.freeze({ tenantId, issuer: payload.iss ?? '', claims: Object.freeze(payload) });
  }
}
