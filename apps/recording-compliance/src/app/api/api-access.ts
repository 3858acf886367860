import { failure, type ApiAuthenticator, type ApiPrincipal } from '@switchboard/api-auth';

export const NOT_CONFIGURED_MESSAGE = 'the compliance API is not configured: set API_AUTH_OIDC_URL';

/** The caller when its bearer token is valid and carries `role`; a refusal (401/403/503) otherwise. */
export async function authorizeOrRefuse(authenticator: ApiAuthenticator | undefined, authorization: string | undefined, role: string, action: string): Promise<ApiPrincipal> {
  if (!authenticator) throw failure(503, 'NotConfigured', NOT_CONFIGURED_MESSAGE);
  return authenticator.authorize(authorization, role, action);
}
