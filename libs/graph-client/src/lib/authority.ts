import { GraphConfigError } from './errors';

/** Entra sign-in hosts msal knows how to discover; any other host is treated as a private authority. */
const microsoftAuthorityHosts = new Set([
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'sts.windows.net',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
  'login.microsoftonline.de',
]);

/** What msal's `auth` options need to reach one tenant at one authority host. */
export interface AuthorityOptions {
  authority: string;
  knownAuthorities?: string[];
  authorityMetadata?: string;
  cloudDiscoveryMetadata?: string;
}

export function parseHttpsUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new GraphConfigError(`${what} is not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:') throw new GraphConfigError(`${what} must be an https URL, got ${url.protocol}//${url.host}`);
  return url;
}

/**
 * For Microsoft hosts msal runs its own instance discovery. For any other host (the local emulator) it is told
 * the endpoints up front, so it never calls out to the public cloud and only ever talks to the configured host.
 */
export function authorityOptions(authorityHost: string, tenantId: string): AuthorityOptions {
  if (!/^[A-Za-z0-9.-]+$/.test(tenantId)) {
    throw new GraphConfigError(`tenantId must be a tenant GUID or domain name, got ${JSON.stringify(tenantId)}`);
  }
  const hostUrl = parseHttpsUrl(authorityHost, 'authorityHost');
  const base = `${hostUrl.origin}${hostUrl.pathname.replace(/\/+$/, '')}/${tenantId}`;
  if (microsoftAuthorityHosts.has(hostUrl.hostname.toLowerCase())) return { authority: base };

  const host = hostUrl.host;
  return {
    authority: base,
    knownAuthorities: [host],
    authorityMetadata: JSON.stringify({
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      issuer: `${base}/v2.0`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
    }),
    cloudDiscoveryMetadata: JSON.stringify({
      tenant_discovery_endpoint: `${base}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    }),
  };
}
