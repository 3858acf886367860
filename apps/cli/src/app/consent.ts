import type { RequiredPermission } from './permissions';

/** The admin consent URL of `tenantId` for the app; on the Entra host the services get their tokens from. */
export function adminConsentUrl(authorityHost: string, tenantId: string, appId: string, redirectUri?: string): string {
  const url = new URL(`${authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(tenantId)}/adminconsent`);
  url.searchParams.set('client_id', appId);
  if (redirectUri) url.searchParams.set('redirect_uri', redirectUri);
  return url.href;
}

export function consentText(url: string, required: readonly RequiredPermission[]): string {
  return [
    url,
    '',
    'An administrator of the tenant opens this URL and accepts. It grants the application permissions listed on the',
    "app registration (API permissions); for the enabled features those must include: " + required.map((r) => r.permission).join(', ') + '.',
    '',
    'Consent is repeated after a change: when a permission is added to the app registration (a feature turned on),',
    'open the URL again. Tokens issued before the new consent do not carry the new role; it can take a few minutes to',
    'reach Graph. Check with: npx switchboard doctor',
  ].join('\n');
}
