import { ConfidentialClientApplication, LogLevel, type Configuration } from '@azure/msal-node';
import type { Dispatcher } from 'undici';
import { authorityOptions } from './authority';
import { GraphAuthError, GraphConfigError, stringField } from './errors';
import { createMsalNetworkClient } from './msal-network-client';

export const defaultAuthorityHost = 'https://login.microsoftonline.com';
/** Graph issues app tokens for this scope; the emulator does too, so it stays the default for any base URL. */
export const defaultGraphScope = 'https://graph.microsoft.com/.default';

export interface CertificateCredential {
  /** PEM private key (`-----BEGIN PRIVATE KEY-----`). */
  privateKeyPem: string;
  /** Hex SHA-1 thumbprint (older registrations). */
  thumbprint?: string;
  /** Hex SHA-256 thumbprint (preferred). */
  thumbprintSha256?: string;
  /** PEM public certificate chain: sent as `x5c` for subject-name/issuer authentication. */
  x5c?: string;
}

export type GraphCredential = { clientSecret: string } | { certificate: CertificateCredential };

export interface TokenProviderOptions {
  authorityHost?: string;
  tenantId: string;
  clientId: string;
  credential: GraphCredential;
  scope?: string;
  /** Deadline of one token request in ms. */
  timeoutMs: number;
  dispatcher: Dispatcher;
}

export interface AccessToken {
  token: string;
  expiresOn?: Date;
  /** True when msal answered from its cache without calling the authority. */
  fromCache: boolean;
}

export interface TokenProvider {
  getToken(): Promise<AccessToken>;
}

/** App-only tokens by client credentials; msal's in-memory cache serves repeats until shortly before expiry. */
/** A token is renewed this long before it expires, so no request goes out with one about to lapse. */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

export class MsalTokenProvider implements TokenProvider {
  private held: AccessToken | undefined;
  private asking: Promise<AccessToken> | undefined;
  private readonly app: ConfidentialClientApplication;
  private readonly scope: string;
  private readonly secrets: string[];
  private readonly authority: string;

  constructor(private readonly options: TokenProviderOptions) {
    const { authority, ...discovery } = authorityOptions(options.authorityHost ?? defaultAuthorityHost, options.tenantId);
    if (!options.clientId) throw new GraphConfigError('clientId is required');
    this.authority = authority;
    this.scope = options.scope ?? defaultGraphScope;
    this.secrets = secretsOf(options.credential);
    const config: Configuration = {
      auth: { clientId: options.clientId, authority, ...discovery, ...msalCredential(options.credential) },
      system: {
        networkClient: createMsalNetworkClient(options.dispatcher, options.timeoutMs),
        // msal's logger stays off: its lines can carry request details we do not control.
        loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
      },
    };
    this.app = new ConfidentialClientApplication(config);
  }

  /**
   * The app token, taken from this provider's own memory until five minutes before it expires: msal keeps it too,
   * but looking it up there costs more than the request it authorises. Callers at the same moment share one lookup.
   */
  getToken(): Promise<AccessToken> {
    const held = this.held;
    if (held && (held.expiresOn === undefined || held.expiresOn.getTime() - REFRESH_BEFORE_EXPIRY_MS > Date.now())) return Promise.resolve({ ...held, fromCache: true });
    this.asking ??= this.acquire().then(
      (token) => {
        this.held = token;
        this.asking = undefined;
        return token;
      },
      (error: unknown) => {
        this.asking = undefined;
        throw error;
      },
    );
    return this.asking;
  }

  private async acquire(): Promise<AccessToken> {
    let result;
    try {
      result = await this.app.acquireTokenByClientCredential({ scopes: [this.scope] });
    } catch (error) {
      throw this.authError(error);
    }
    if (!result?.accessToken) {
      throw new GraphAuthError(`${this.context()}: the authority returned no access token`, 'no_token');
    }
    return { token: result.accessToken, expiresOn: result.expiresOn ?? undefined, fromCache: result.fromCache };
  }

  private context(): string {
    return `could not acquire a token for client ${this.options.clientId} from ${this.authority} (scope ${this.scope})`;
  }

  private authError(error: unknown): GraphAuthError {
    const code = stringField(error, 'errorCode') ?? 'unknown_error';
    const detail = redact(stringField(error, 'message') ?? String(error), this.secrets);
    // The cause is dropped on purpose: msal errors can hold request bodies that carry the secret.
    return new GraphAuthError(`${this.context()}: ${code}: ${detail}`, code);
  }
}

function msalCredential(credential: GraphCredential): Pick<Configuration['auth'], 'clientSecret' | 'clientCertificate'> {
  if ('clientSecret' in credential) {
    if (!credential.clientSecret) throw new GraphConfigError('credential.clientSecret is empty');
    return { clientSecret: credential.clientSecret };
  }
  const { privateKeyPem, thumbprint, thumbprintSha256, x5c } = credential.certificate;
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKeyPem ?? '')) {
    throw new GraphConfigError('credential.certificate.privateKeyPem is not a PEM private key');
  }
  if (!thumbprint && !thumbprintSha256) {
    throw new GraphConfigError('credential.certificate needs thumbprint (SHA-1) or thumbprintSha256');
  }
  return { clientCertificate: { privateKey: privateKeyPem, thumbprint, thumbprintSha256, x5c } };
}

function secretsOf(credential: GraphCredential): string[] {
  return 'clientSecret' in credential ? [credential.clientSecret] : [credential.certificate.privateKeyPem];
}

/** Removes every occurrence of a secret (and its URL-encoded form, as it travels in a form body). */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets.filter((s) => s.length > 0)) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('[redacted]');
  }
  return out;
}
