import { createGraphClient, graphClientConfigFromEnv, graphClientEnv, type GraphClientEnv } from '@switchboard/graph-client';
import { decodeJwt } from 'jose';
import { adminConsentUrl } from '../consent';
import { missingPermissions, type RequiredPermission } from '../permissions';
import { errorText, fail, ok, warn, within, type Finding } from './finding';

/** The Graph identity variables, validated with the schema the services use. */
export function graphSettings(env: NodeJS.ProcessEnv): { settings?: GraphClientEnv; finding: Finding } {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = graphClientEnv.safeParse(present);
  if (parsed.success) {
    const credential = parsed.data.BOT_CLIENT_SECRET !== undefined ? 'client secret' : 'certificate';
    return { settings: parsed.data, finding: ok('bot identity', `app ${parsed.data.BOT_APP_ID} in tenant ${parsed.data.BOT_TENANT_ID} (${credential})`) };
  }
  const problems = parsed.error.issues.map((i) => {
    const name = String(i.path[0] ?? 'environment');
    return i.code === 'invalid_type' && present[name] === undefined ? `${name} is not set` : `${name}: ${i.message}`;
  });
  return {
    finding: fail(
      'bot identity',
      problems.join('; '),
      'set the variables the services read: BOT_APP_ID, BOT_TENANT_ID and BOT_CLIENT_SECRET (or BOT_CERTIFICATE_PATH with BOT_CERTIFICATE_THUMBPRINT)',
    ),
  };
}

/**
 * Gets an app token exactly as the services do (msal-node client credentials) and compares its `roles` claim with
 * the permissions the enabled features need, naming each missing one and why it is needed.
 */
export async function checkAppToken(settings: GraphClientEnv, required: readonly RequiredPermission[], ca: string, timeoutMs: number): Promise<Finding[]> {
  const check = 'app token';
  const consent = adminConsentUrl(settings.AUTHORITY_HOST, settings.BOT_TENANT_ID, settings.BOT_APP_ID);
  let client;
  try {
    client = createGraphClient({ ...graphClientConfigFromEnv(settings), timeoutMs, tls: { ca }, retry: { maxRetries: 0 } });
  } catch (error) {
    return [fail(check, errorText(error), 'fix the credential variables (the message names the bad one)')];
  }
  try {
    const { token } = await within(timeoutMs + 1000, 'token request', client.tokens.getToken());
    const claims = decodeJwt(token);
    const roles = Array.isArray(claims['roles']) ? claims['roles'].map(String) : [];
    const findings: Finding[] = [ok(check, `issued by ${String(claims.iss ?? 'unknown issuer')}, roles: ${roles.length ? roles.join(', ') : '(none)'}`)];
    const tid = claims['tid'];
    if (typeof tid === 'string' && tid.toLowerCase() !== settings.BOT_TENANT_ID.toLowerCase() && /^[0-9a-f-]{36}$/i.test(settings.BOT_TENANT_ID)) {
      findings.push(warn(check, `the token is for tenant ${tid}, not BOT_TENANT_ID ${settings.BOT_TENANT_ID}`, 'set BOT_TENANT_ID to the tenant the bot runs in'));
    }
    const missing = missingPermissions(required, roles);
    if (missing.length === 0) {
      findings.push(ok('permissions', `the token carries every permission the enabled features need (${required.map((r) => r.permission).join(', ')})`));
    }
    for (const m of missing) {
      findings.push(
        fail(
          'permissions',
          `the app token lacks the role ${m.permission}, needed to ${m.reasons.map((r) => r.replace(/^[a-z-]+: /, '')).join('; ')}`,
          `add ${m.permission} (Microsoft Graph, Application permission) to app ${settings.BOT_APP_ID} under API permissions, then grant admin consent again:\n${consent}\nA new consent reaches tokens after a few minutes.`,
        ),
      );
    }
    return findings;
  } catch (error) {
    return [
      fail(
        check,
        `no token: ${errorText(error)}`,
        `check BOT_APP_ID, BOT_TENANT_ID, the secret or certificate, and AUTHORITY_HOST (${settings.AUTHORITY_HOST}); an expired secret needs a new one (az ad app credential reset)`,
      ),
    ];
  } finally {
    await client.close();
  }
}
