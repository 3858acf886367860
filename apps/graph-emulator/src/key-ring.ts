import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, type KeyLike } from 'jose';

export const SIGNING_ALG = 'RS256';

interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  publicJwk: JWK;
}

export interface JsonWebKeySet {
  keys: JWK[];
}

/**
 * RSA signing keys with a current key and, after a rotation, the previous one: the JWKS keeps
 * both so that tokens signed just before a rotation still verify, as with real key rollover.
 */
export class KeyRing {
  private constructor(
    private current: SigningKey,
    private previous: SigningKey | undefined,
  ) {}

  static async create(): Promise<KeyRing> {
    return new KeyRing(await newKey(), undefined);
  }

  get kid(): string {
    return this.current.kid;
  }

  get signingKey(): KeyLike {
    return this.current.privateKey;
  }

  /** Starts signing with a fresh key; returns the new and the retired key ids. */
  async rotate(): Promise<{ kid: string; previousKid: string }> {
    const next = await newKey();
    this.previous = this.current;
    this.current = next;
    return { kid: next.kid, previousKid: this.previous.kid };
  }

  jwks(): JsonWebKeySet {
    const keys = [this.current, this.previous].filter((k): k is SigningKey => k !== undefined);
    return { keys: keys.map((k) => k.publicJwk) };
  }
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { modulusLength: 2048 });
  const kid = randomUUID().replace(/-/g, '');
  const jwk = await exportJWK(publicKey);
  return { kid, privateKey, publicJwk: { ...jwk, kid, use: 'sig', alg: SIGNING_ALG, kty: 'RSA' } };
}
