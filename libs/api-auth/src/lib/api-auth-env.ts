import { z } from 'zod';

/** Environment of a REST API's token check, the same for every service that serves one. */
export const apiAuthEnv = z.object({
  /**
   * OpenID configuration URL of the issuer of API tokens (Entra ID: `https://login.microsoftonline.com/<tenant>/v2.0/.well-known/openid-configuration`).
   * Unset: the API answers 503 on every route, saying this variable is missing.
   */
  API_AUTH_OIDC_URL: z.url({ protocol: /^https?$/, message: 'must be the http(s) URL of an OpenID configuration document' }).optional(),
  /** `aud` every API token must carry. */
  API_AUTH_AUDIENCE: z.string().min(1).default('api://switchboard'),
});

export type ApiAuthConfig = z.output<typeof apiAuthEnv>;
