import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { GraphConfigError, stringField } from './errors';
import { defaultGraphBaseUrl, type GraphClientConfig } from './graph-client';
import { defaultAuthorityHost, type CertificateCredential } from './token-provider';

const httpsUrl = z.url({ protocol: /^https$/, message: 'must be an https URL' });

/** Hex thumbprint; colons and spaces (as tools print it) are dropped. 40 digits = SHA-1, 64 = SHA-256. */
const thumbprint = z
  .string()
  .transform((s) => s.replace(/[:\s]/g, '').toLowerCase())
  .pipe(z.string().regex(/^([0-9a-f]{40}|[0-9a-f]{64})$/, 'must be a hex SHA-1 (40 digits) or SHA-256 (64 digits) thumbprint'));

/** The variables without the credential rule, for services that merge them into their own schema. */
export const graphClientEnvShape = z.object({
  BOT_APP_ID: z.string().min(1, 'BOT_APP_ID is required'),
  BOT_TENANT_ID: z.string().min(1, 'BOT_TENANT_ID is required'),
  BOT_CLIENT_SECRET: z.string().min(1).optional(),
  BOT_CERTIFICATE_PATH: z.string().min(1).optional(),
  BOT_CERTIFICATE_THUMBPRINT: thumbprint.optional(),
  AUTHORITY_HOST: httpsUrl.default(defaultAuthorityHost),
  GRAPH_BASE_URL: httpsUrl.default(defaultGraphBaseUrl),
  GRAPH_SCOPE: z.string().min(1).optional(),
  GRAPH_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
});
export type GraphClientEnv = z.output<typeof graphClientEnvShape>;

/** Exactly one credential: a client secret, or a certificate file plus its thumbprint. */
export function checkGraphCredentialEnv(env: Partial<GraphClientEnv>, ctx: z.RefinementCtx): void {
  const issue = (path: keyof GraphClientEnv, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const hasSecret = env.BOT_CLIENT_SECRET !== undefined;
  const hasCertificate = env.BOT_CERTIFICATE_PATH !== undefined;
  if (hasSecret && hasCertificate) issue('BOT_CLIENT_SECRET', 'set either BOT_CLIENT_SECRET or BOT_CERTIFICATE_PATH, not both');
  else if (!hasSecret && !hasCertificate) issue('BOT_CLIENT_SECRET', 'set BOT_CLIENT_SECRET, or BOT_CERTIFICATE_PATH with BOT_CERTIFICATE_THUMBPRINT');
  else if (hasCertificate && env.BOT_CERTIFICATE_THUMBPRINT === undefined) {
    issue('BOT_CERTIFICATE_THUMBPRINT', 'BOT_CERTIFICATE_THUMBPRINT is required with BOT_CERTIFICATE_PATH');
  }
}

export const graphClientEnv = graphClientEnvShape.superRefine(checkGraphCredentialEnv);

/** Turns validated variables into client config, reading the certificate file when one is named. */
export function graphClientConfigFromEnv(env: GraphClientEnv): GraphClientConfig {
  const base = {
    graphBaseUrl: env.GRAPH_BASE_URL,
    authorityHost: env.AUTHORITY_HOST,
    tenantId: env.BOT_TENANT_ID,
    clientId: env.BOT_APP_ID,
    scope: env.GRAPH_SCOPE,
    timeoutMs: env.GRAPH_TIMEOUT_MS,
  };
  if (env.BOT_CLIENT_SECRET !== undefined) return { ...base, credential: { clientSecret: env.BOT_CLIENT_SECRET } };
  if (env.BOT_CERTIFICATE_PATH === undefined || env.BOT_CERTIFICATE_THUMBPRINT === undefined) {
    throw new GraphConfigError('no Graph credential: set BOT_CLIENT_SECRET, or BOT_CERTIFICATE_PATH with BOT_CERTIFICATE_THUMBPRINT');
  }
  return { ...base, credential: { certificate: readCertificateCredential(env.BOT_CERTIFICATE_PATH, env.BOT_CERTIFICATE_THUMBPRINT) } };
}

const pemBlocks = (pem: string, label: RegExp) =>
  pem.match(new RegExp(`-----BEGIN ${label.source}-----[\\s\\S]+?-----END ${label.source}-----`, 'g')) ?? [];

/**
 * A PEM file with the private key and, optionally, the certificate chain. When the certificate is there its
 * thumbprint must match the configured one, so a stale file fails at boot rather than at the first token.
 */
export function readCertificateCredential(path: string, thumbprintHex: string): CertificateCredential {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    const code = stringField(error, 'code') ?? 'unreadable';
    throw new GraphConfigError(`BOT_CERTIFICATE_PATH ${path} cannot be read (${code})`);
  }
  const [privateKeyPem] = pemBlocks(pem, /(?:RSA |EC )?PRIVATE KEY/);
  if (!privateKeyPem) throw new GraphConfigError(`BOT_CERTIFICATE_PATH ${path} holds no PEM private key`);
  const certificates = pemBlocks(pem, /CERTIFICATE/);
  const thumbprint = thumbprintHex.replace(/[:\s]/g, '').toLowerCase();
  const sha256 = thumbprint.length === 64;
  if (certificates[0]) {
    const cert = new X509Certificate(certificates[0]);
    const actual = (sha256 ? cert.fingerprint256 : cert.fingerprint).replace(/:/g, '').toLowerCase();
    if (actual !== thumbprint) {
      throw new GraphConfigError(`BOT_CERTIFICATE_THUMBPRINT does not match the certificate in ${path} (its thumbprint is ${actual})`);
    }
  }
  return {
    privateKeyPem,
    ...(sha256 ? { thumbprintSha256: thumbprint } : { thumbprint }),
    ...(certificates.length > 0 ? { x5c: certificates.join('\n') } : {}),
  };
}
