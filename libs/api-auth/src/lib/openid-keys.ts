import { createRemoteJWKSet, errors } from 'jose';

export interface OpenIdKeys {
  /** The issuer the OpenID configuration names. */
  issuer: string;
  jwks: ReturnType<typeof createRemoteJWKSet>;
}

/** The OpenID configuration could not be fetched or is unusable; callers answer 503 so the sender tries again. */
export class OpenIdUnavailable extends Error {
  override readonly name = 'OpenIdUnavailable';
}

/**
 * The signing keys an OpenID configuration publishes. The configuration is cached for `cacheMs`; a failed fetch is
 * not cached; an unknown key id refetches the key set (at most once per `keyRefetchCooldownMs`), which is how key
 * rotation is picked up while it also bounds what forged key ids can cost.
 */
export class OpenIdKeySource {
  private current?: Promise<OpenIdKeys & { fetchedAt: number }>;

  constructor(
    private readonly url: string,
    private readonly options: { cacheMs: number; keyRefetchCooldownMs?: number },
  ) {}

  get(): Promise<OpenIdKeys> {
    const current = this.current;
    if (!current) return this.refresh();
    return current.then(
      (k) => (Date.now() - k.fetchedAt < this.options.cacheMs ? k : this.refresh()),
      () => this.refresh(),
    );
  }

  private refresh(): Promise<OpenIdKeys & { fetchedAt: number }> {
    const loading = this.load();
    this.current = loading;
    loading.catch(() => {
      if (this.current === loading) this.current = undefined;
    });
    return loading;
  }

  private async load(): Promise<OpenIdKeys & { fetchedAt: number }> {
    let document: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const response = await fetch(this.url, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      document = (await response.json()) as typeof document;
    } catch (error) {
      throw new OpenIdUnavailable(`OpenID configuration ${this.url} is unavailable: ${(error as Error).message}`);
    }
    if (typeof document.jwks_uri !== 'string') throw new OpenIdUnavailable(`OpenID configuration ${this.url} has no jwks_uri`);
    return {
      fetchedAt: Date.now(),
      issuer: typeof document.issuer === 'string' ? document.issuer : '',
      jwks: createRemoteJWKSet(new URL(document.jwks_uri), { cooldownDuration: this.options.keyRefetchCooldownMs ?? 5000 }),
    };
  }
}

/** The token of an `Authorization: Bearer …` header, or undefined. */
export const bearerToken = (authorization: string | undefined): string | undefined => /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];

export type TokenProblem =
  | { kind: 'claim'; claim: string; message: string }
  | { kind: 'unavailable'; message: string }
  | { kind: 'invalid'; message: string };

/** Why jose refused a token, in words a refusal can carry. */
export function tokenProblem(error: unknown): TokenProblem {
  if (error instanceof OpenIdUnavailable) return { kind: 'unavailable', message: error.message };
  if (error instanceof errors.JWTExpired) return { kind: 'invalid', message: 'token has expired' };
  if (error instanceof errors.JWTClaimValidationFailed) return { kind: 'claim', claim: error.claim, message: `token ${error.claim} claim is not accepted: ${error.message}` };
  if (error instanceof errors.JOSEAlgNotAllowed) return { kind: 'invalid', message: 'token algorithm is not RS256' };
  if (error instanceof errors.JWKSNoMatchingKey) return { kind: 'invalid', message: 'token is signed with an unknown key' };
  if (error instanceof errors.JWSSignatureVerificationFailed) return { kind: 'invalid', message: 'token signature is invalid' };
  if (error instanceof errors.JWKSTimeout) return { kind: 'unavailable', message: 'the signing keys did not arrive in time' };
  if (error instanceof errors.JOSEError) return { kind: 'invalid', message: `token is invalid: ${error.message}` };
  if (error instanceof Error && /fetch|ECONN|ENOTFOUND|socket/i.test(error.message)) return { kind: 'unavailable', message: `signing keys are unavailable: ${error.message}` };
  return { kind: 'invalid', message: 'token is invalid' };
}
