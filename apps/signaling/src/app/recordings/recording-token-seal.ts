import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** A recording access token encrypted by {@link RecordingTokenSeal}: safe to store, useless without the key. */
export type SealedToken = string & { readonly __sealedToken: unique symbol };

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Keeps Graph's `recordingAccessToken` out of stored call records. The token is needed after the record is written
 * (the recording is downloaded by the `store-recording` effect, possibly by another replica after the first one
 * died, and Graph has no request that hands out the token again), so it is stored, but sealed: AES-256-GCM with a
 * key every replica of the deployment derives from the bot's own credential (HKDF-SHA256), so no new secret has to
 * be distributed. The seal is bound to the recording's name (authenticated data): a sealed token copied into another
 * item does not open. Anyone who can read the call records but not the bot's credential learns nothing.
 *
 * When the credential is rotated, tokens sealed under the old one no longer open: the download of a message recorded
 * across the rotation fails and is reported (`effect-failed`) like any other failed download.
 */
export class RecordingTokenSeal {
  private constructor(private readonly key: Buffer) {}

  /** `secret`: the bot's client secret, or its certificate's private key (PEM); `appId` separates bots sharing one. */
  static fromCredential(secret: string, appId: string): RecordingTokenSeal {
    return new RecordingTokenSeal(Buffer.from(hkdfSync('sha256', secret, appId, 'switchboard recording access token v1', 32)));
  }

  seal(token: string, boundTo: string): SealedToken {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const encrypted = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64url')}` as SealedToken;
  }

  /** The token sealed for `boundTo`; throws (naming no secret) when it was sealed under another key or for another name. */
  open(sealed: SealedToken, boundTo: string): string {
    const [version, body] = sealed.split('.');
    const bytes = Buffer.from(body ?? '', 'base64url');
    if (version !== VERSION || bytes.length < IV_BYTES + TAG_BYTES) throw new Error(`sealed recording token for ${boundTo} is malformed`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`sealed recording token for ${boundTo} does not open with this deployment's key (was the bot credential rotated?)`);
    }
  }
}
