import { fetch, type Agent } from 'undici';
import { errorText, fail, ok, warn, within, type Finding } from './finding';

const GRAPH_OIDC_DEFAULT = 'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration';

/**
 * PUBLIC_CALLBACK_URL: Graph only calls https URLs, and signaling must answer there. An unauthenticated POST is the
 * probe: signaling refuses it with 401/403 without storing anything, which proves the webhook is there and checks tokens.
 */
export async function checkCallbackUrl(raw: string | undefined, agent: Agent, timeoutMs: number): Promise<Finding> {
  const check = 'callback URL';
  if (!raw) {
    return fail(check, 'PUBLIC_CALLBACK_URL is not set', 'set it to the public https URL of signaling\'s /api/calling (the bot\'s "Webhook (for calling)")');
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail(check, `PUBLIC_CALLBACK_URL is not a URL: ${raw}`, 'set it to https://<your host>/api/calling');
  }
  if (url.protocol !== 'https:') {
    const detail = `${raw} is not https; Graph sends call notifications to https URLs only`;
    const fix = 'put signaling behind TLS (the chart\'s Ingress with a certificate) and use the https URL';
    // The local emulator calls plain http on this machine; only real Graph needs https.
    if (!/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname)) return fail(check, detail, fix);
    const local = warn(check, `${detail} (fine for the local emulator)`, fix);
    const answer = await probe(url, agent, timeoutMs);
    return answer.status === 'ok' ? local : answer;
  }
  return probe(url, agent, timeoutMs);
}

async function probe(url: URL, agent: Agent, timeoutMs: number): Promise<Finding> {
  const check = 'callback URL';
  const raw = url.href;
  try {
    const res = await within(timeoutMs, raw, fetch(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, dispatcher: agent, signal: AbortSignal.timeout(timeoutMs) }));
    await res.body?.cancel();
    if (res.status === 401 || res.status === 403) return ok(check, `${raw} answers over TLS and refuses an unsigned notification (${res.status})`);
    if (res.status === 404 || res.status === 405) {
      return fail(check, `${raw} answered ${res.status}: nothing takes notifications at that path`, "the path is /api/calling on signaling; check the Ingress rules and PUBLIC_CALLBACK_URL's path");
    }
    if (res.status < 300) {
      return fail(check, `${raw} accepted a notification without a token (${res.status})`, 'the URL must reach signaling, which verifies the bearer token of every notification; check what the host routes to');
    }
    return warn(check, `${raw} answered ${res.status} to an unsigned notification (signaling answers 401)`, 'check that the URL reaches signaling and that signaling is ready (/health/ready)');
  } catch (error) {
    return fail(check, `${raw} does not answer: ${errorText(error)}`, 'check DNS, the Ingress and its TLS certificate (a public CA Graph trusts), and that signaling runs');
  }
}

/** The issuer and RSA signing keys an OpenID configuration document names; throws what went wrong. */
export async function readSigningKeys(url: string, agent: Agent, timeoutMs: number): Promise<{ issuer: string; rsaKeys: number }> {
  const get = async (u: string) => {
    const res = await within(timeoutMs, u, fetch(u, { dispatcher: agent, signal: AbortSignal.timeout(timeoutMs) })).catch((error: unknown) => {
      throw new Error(`${u} does not answer: ${errorText(error)}`);
    });
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new Error(`${u} answered ${res.status}`);
    }
    return (await res.json()) as Record<string, unknown>;
  };
  const config = await get(url);
  const jwksUri = config['jwks_uri'];
  if (typeof jwksUri !== 'string') throw new Error(`${url} has no jwks_uri: it is not an OpenID configuration document`);
  const jwks = await get(jwksUri);
  const keys = Array.isArray(jwks['keys']) ? (jwks['keys'] as Record<string, unknown>[]) : [];
  const rsaKeys = keys.filter((k) => k['kty'] === 'RSA').length;
  if (rsaKeys === 0) throw new Error(`${jwksUri} lists no RSA key (tokens are signed with RS256)`);
  return { issuer: String(config['issuer'] ?? '(none)'), rsaKeys };
}

/** CALLBACK_OIDC_URL: the keys that sign Graph's callbacks must be reachable, or every notification is refused. */
export async function checkCallbackOidc(raw: string | undefined, agent: Agent, timeoutMs: number): Promise<Finding> {
  const check = 'callback OpenID configuration';
  const url = raw || GRAPH_OIDC_DEFAULT;
  try {
    const { issuer, rsaKeys } = await readSigningKeys(url, agent, timeoutMs);
    return ok(check, `${url}: issuer ${issuer}, ${rsaKeys} signing key(s)`);
  } catch (error) {
    const fix = raw ? 'check CALLBACK_OIDC_URL, or unset it to use Graph\'s' : `signaling must reach ${GRAPH_OIDC_DEFAULT}: allow outbound https to it from the cluster (and from here, to check)`;
    return fail(check, errorText(error), fix);
  }
}

/**
 * API_AUTH_OIDC_URL: the issuer of the bearer tokens the REST APIs (signaling, meeting-join, recording-compliance)
 * accept. Unset, the APIs answer 503, which is a choice, not an error.
 */
export async function checkApiIssuer(raw: string | undefined, agent: Agent, timeoutMs: number): Promise<Finding> {
  const check = 'API token issuer';
  if (!raw) return warn(check, 'API_AUTH_OIDC_URL is not set: the REST APIs answer 503 on every route', "set it to your identity provider's OpenID configuration to use the APIs");
  try {
    const { issuer, rsaKeys } = await readSigningKeys(raw, agent, timeoutMs);
    return ok(check, `${raw}: issuer ${issuer}, ${rsaKeys} signing key(s)`);
  } catch (error) {
    return fail(check, errorText(error), 'check API_AUTH_OIDC_URL and that the services can reach it over https');
  }
}
