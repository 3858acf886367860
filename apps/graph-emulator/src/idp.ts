import { randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { SignJWT, decodeJwt, importX509, jwtVerify, createLocalJWKSet, errors as joseErrors } from 'jose';
import type { ApiClient, ApiClients } from './api-clients';
import { HttpError, Router, parseFormBody, readBody, sendJson } from './http-kit';
import type { KeyRing } from './key-ring';
import type { RequestContext } from './request-context';

export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const TOKEN_LIFETIME_S = 3599;
const CLOCK_SKEW_S = 300;
/** Application permissions of a calling bot with admin consent (contract §3). */
export const BOT_ROLES = [
  'Calls.AccessMedia.All',
  'Calls.Initiate.All',
  'Calls.InitiateGroupCall.All',
  'Calls.JoinGroupCall.All',
  'Calls.JoinGroupCallAsGuest.All',
  'OnlineMeetings.ReadWrite.All',
];

/** The bot's granted application permissions, as `EMULATOR_BOT_ROLES` and `PUT /emulator/bot/roles` take them. */
export const botRolesSchema = z.array(z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'a role is a name like Calls.Initiate.All')).max(50);

export interface IdpOptions {
  baseUrl: string;
  tenantId: string;
  botAppId: string;
  botClientSecret: string;
  botCertificatePem?: string;
  /** Roles of the bot's Graph tokens at start (default: every calling permission, see BOT_ROLES). */
  botRoles?: string[];
  keys: KeyRing;
  /** Audience of call-control API tokens; their scope is `${apiAudience}/.default`. */
  apiAudience: string;
  apiClients: ApiClients;
}

/** An Entra ID error: rendered in the AADSTS JSON shape msal-node understands. */
export class AadError extends HttpError {
  constructor(
    status: number,
    code: string,
    readonly aadsts: number,
    message: string,
  ) {
    super(status, code, message);
  }
}

export function aadErrorBody(error: AadError) {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    error: error.code,
    error_description: `AADSTS${error.aadsts}: ${error.message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [error.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${error.aadsts}`,
  };
}

export interface AccessTokenClaims {
  appId: string;
  tenantId: string;
  roles: string[];
}

/**
 * The Entra ID stand-in: OpenID metadata, JWKS and the client-credentials token endpoint. The bot
 * gets Graph tokens (v1 issuer, as Graph's own tokens have); registered customer apps get v2 tokens
 * for the call-control API whose issuer is the one the OpenID configuration names.
 */
export class Idp {
  private readonly issuer: string;
  /** `${baseUrl}/${tenant}/v2.0`: the issuer of API tokens and of the discovery document. */
  readonly apiIssuer: string;

  private accessTokenKeys?: ReturnType<typeof createLocalJWKSet>;
  private grantedBotRoles: string[];

  constructor(private readonly options: IdpOptions) {
    this.issuer = `https://sts.windows.net/${options.tenantId}/`;
    this.apiIssuer = `${options.baseUrl}/${options.tenantId}/v2.0`;
    this.grantedBotRoles = [...new Set(options.botRoles ?? BOT_ROLES)];
  }

  /** The application permissions the bot's next tokens carry. */
  get botRoles(): string[] {
    return [...this.grantedBotRoles];
  }

  /** Changes the bot's granted permissions, like a new admin consent: tokens issued from now on carry these. */
  setBotRoles(roles: string[]): void {
    this.grantedBotRoles = [...new Set(roles)];
  }

  register(router: Router<RequestContext>): void {
    router.on('GET', '/:tenant/v2.0/.well-known/openid-configuration', (ctx, p) => this.openIdConfiguration(ctx, p));
    router.on('GET', '/:tenant/discovery/v2.0/keys', (ctx) => sendJson(ctx.res, 200, this.options.keys.jwks()));
    router.on('POST', '/:tenant/oauth2/v2.0/token', (ctx, p) => this.token(ctx, p));
  }

  private tenantBase(tenant: string): string {
    return `${this.options.baseUrl}/${tenant}`;
  }

  private openIdConfiguration(ctx: RequestContext, { tenant }: Record<string, string>): void {
    this.requireTenant(tenant);
    const base = this.tenantBase(tenant);
    sendJson(ctx.res, 200, {
      issuer: this.apiIssuer,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      tenant_region_scope: 'WW',
    });
  }

  private requireTenant(tenant: string): void {
    if (tenant.toLowerCase() !== this.options.tenantId) {
      throw new AadError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
    }
  }

  private async token(ctx: RequestContext, { tenant }: Record<string, string>): Promise<void> {
    this.requireTenant(tenant);
    const form = parseFormBody(ctx.req, await readBody(ctx.req));
    const grantType = form.get('grant_type');
    if (!grantType) {
      throw new AadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
    }
    if (grantType !== 'client_credentials') {
      throw new AadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
    }
    const clientId = (form.get('client_id') ?? '').toLowerCase();
    const apiClient = clientId === this.options.botAppId ? undefined : this.options.apiClients.get(clientId);
    if (clientId !== this.options.botAppId && !apiClient) {
      throw new AadError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
      );
    }
    let accessToken: string;
    if (apiClient) {
      this.authenticateApiClient(form, clientId, apiClient);
      requireScope(form, `${this.options.apiAudience}/.default`);
      accessToken = await this.issueApiToken(clientId, apiClient.roles);
    } else {
      await this.authenticateClient(form, tenant);
      requireScope(form, GRAPH_SCOPE);
      accessToken = await this.issueAccessToken();
    }
    sendJson(ctx.res, 200, {
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_S,
      ext_expires_in: TOKEN_LIFETIME_S,
      access_token: accessToken,
    });
  }

  /** A client proves itself with the shared secret or with a JWT assertion signed by its certificate. */
  private async authenticateClient(form: URLSearchParams, tenant: string): Promise<void> {
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    if (secret !== null) return requireSecret(secret, this.options.botClientSecret, this.options.botAppId);
    if (assertion !== null) {
      if (form.get('client_assertion_type') !== ASSERTION_TYPE) {
        throw new AadError(400, 'invalid_request', 50027, `client_assertion_type must be '${ASSERTION_TYPE}'.`);
      }
      await this.verifyAssertion(assertion, tenant);
      return;
    }
    throw new AadError(
      401,
      'invalid_client',
      7000216,
      "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
    );
  }

  /**
   * With a registered certificate the assertion's signature is verified; without one only its
   * shape and claims are (iss = sub = client id, audience = this token endpoint, not expired).
   */
  private async verifyAssertion(assertion: string, tenant: string): Promise<void> {
    const invalid = (why: string) => new AadError(401, 'invalid_client', 700027, `Client assertion failed validation: ${why}`);
    const audience = `${this.tenantBase(tenant)}/oauth2/v2.0/token`;
    try {
      if (this.options.botCertificatePem) {
        const key = await importX509(this.options.botCertificatePem, 'RS256');
        await jwtVerify(assertion, key, {
          issuer: this.options.botAppId,
          subject: this.options.botAppId,
          audience,
          algorithms: ['RS256', 'PS256'],
          // Entra allows clock skew; msal rounds iat/nbf, so a fresh assertion can sit a second ahead.
          clockTolerance: CLOCK_SKEW_S,
        });
        return;
      }
      const claims = decodeJwt(assertion);
      if (claims.iss?.toLowerCase() !== this.options.botAppId || claims.sub?.toLowerCase() !== this.options.botAppId) {
        throw invalid('iss and sub must be the client id.');
      }
      const auds = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!auds.some((a) => a?.toLowerCase() === audience.toLowerCase())) throw invalid(`aud must be '${audience}'.`);
      if (typeof claims.exp !== 'number' || (claims.exp + CLOCK_SKEW_S) * 1000 < Date.now()) throw invalid('the assertion has expired.');
    } catch (error) {
      if (error instanceof AadError) throw error;
      const why = error instanceof joseErrors.JOSEError ? error.message : 'not a well-formed JWT.';
      throw invalid(why);
    }
  }

  /** Customer apps are registered with a secret only. */
  private authenticateApiClient(form: URLSearchParams, clientId: string, client: ApiClient): void {
    const secret = form.get('client_secret');
    if (secret === null) {
      throw new AadError(401, 'invalid_client', 7000216, `'client_secret' is required for the 'client_credentials' grant type of app '${clientId}'.`);
    }
    requireSecret(secret, client.secret, clientId);
  }

  /** A v2 app-only token for the call-control API: its roles are exactly those the client was registered with. */
  private issueApiToken(clientId: string, roles: string[]): Promise<string> {
    const claims = { azp: clientId, azpacr: '1', appid: clientId, oid: clientId, roles, ver: '2.0' };
    return this.signAppToken(claims, this.apiIssuer, this.options.apiAudience, clientId);
  }

  private issueAccessToken(): Promise<string> {
    const { botAppId } = this.options;
    // Entra leaves `roles` out of a token when the app has no granted application permission.
    const roles = this.grantedBotRoles.length > 0 ? { roles: this.grantedBotRoles } : {};
    const claims = { appid: botAppId, appidacr: '1', oid: botAppId, ...roles, ver: '1.0' };
    return this.signAppToken(claims, this.issuer, GRAPH_AUDIENCE, botAppId);
  }

  /** An app-only (client credentials) access token signed with the current Entra key. */
  private signAppToken(claims: Record<string, unknown>, issuer: string, audience: string, subject: string): Promise<string> {
    const { tenantId, keys } = this.options;
    return new SignJWT({ tid: tenantId, idtyp: 'app', ...claims })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keys.kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(subject)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime(`${TOKEN_LIFETIME_S}s`)
      .setJti(randomUUID())
      .sign(keys.signingKey);
  }

  /** Verifies a Graph bearer token issued by this IdP; throws with the reason when it does not hold. */
  async verifyAccessToken(token: string): Promise<AccessTokenClaims> {
    // The Entra key ring is fixed for the emulator's life, so the key set is imported once.
    this.accessTokenKeys ??= createLocalJWKSet(this.options.keys.jwks());
    const { payload } = await jwtVerify(token, this.accessTokenKeys, {
      issuer: this.issuer,
      audience: GRAPH_AUDIENCE,
      algorithms: ['RS256'],
    });
    return {
      appId: String(payload['appid'] ?? ''),
      tenantId: String(payload['tid'] ?? ''),
      roles: Array.isArray(payload['roles']) ? payload['roles'].map(String) : [],
    };
  }
}

function requireSecret(given: string, expected: string, clientId: string): void {
  if (sameSecret(given, expected)) return;
  throw new AadError(
    401,
    'invalid_client',
    7000215,
    `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  );
}

/** Client credentials must ask for `<resource>/.default`, and for the resource this client may use. */
function requireScope(form: URLSearchParams, expected: string): void {
  const scope = form.get('scope') ?? '';
  if (scope.split(' ').filter(Boolean).includes(expected)) return;
  throw new AadError(
    400,
    'invalid_scope',
    1002012,
    `The provided value for scope '${scope}' is not valid. This client must ask for '${expected}' (client credential flows use a scope with /.default suffixed to the resource identifier).`,
  );
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
