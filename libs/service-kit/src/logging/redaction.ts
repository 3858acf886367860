/** Placeholder written in place of anything secret. */
export const REDACTED = '[REDACTED]';

/** Keys whose values are secret wherever they appear (compared case-insensitively). */
const SECRET_KEYS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'clientSecret',
  'client_secret',
  'access_token',
  'accessToken',
  'refresh_token',
  'refreshToken',
  'id_token',
  'idToken',
  'token',
  'recordingAccessToken',
  'password',
  'passcode',
  'secret',
  'privateKey',
  'private_key',
  'certificateKey',
  'pem',
  'accountKey',
  'connectionString',
];
const SECRET_KEY_SET = new Set(SECRET_KEYS.map((k) => k.toLowerCase()));

/** pino `redact` paths: the fast path for secrets at the top level or one object deep. */
export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => {
  const segment = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`;
  const join = (prefix: string) => (segment.startsWith('[') ? `${prefix}${segment}` : `${prefix}.${segment}`);
  return [segment, join('*'), join('req.headers'), join('headers')];
});

/** Values that are secrets by shape: bearer credentials, JWTs, PEM keys, storage account keys. */
const SECRET_VALUE_PATTERNS: readonly RegExp[] = [
  /\bBearer\s+[\w\-.~+/]+=*/gi,
  /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(AccountKey|SharedAccessSignature|sig)=[^;&\s]+/gi,
];

/** Replaces secret-looking substrings of a string. */
export function scrubString(value: string): string {
  let out = value;
  for (const pattern of SECRET_VALUE_PATTERNS) {
    pattern.lastIndex = 0;
    if (pattern.test(out)) {
      pattern.lastIndex = 0;
      out = out.replace(pattern, REDACTED);
    }
  }
  return out;
}

const MAX_DEPTH = 8;

/**
 * Defensive deep pass over a log object: secret keys at any depth and secret-shaped strings
 * are replaced. It copies rather than mutates, because the object belongs to the caller.
 */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  if (value instanceof Error) return scrubError(value, depth);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY_SET.has(k.toLowerCase()) && v !== undefined && v !== null ? REDACTED : scrubValue(v, depth + 1);
  }
  return out;
}

function scrubError(error: Error, depth: number): Record<string, unknown> {
  const fields = scrubValue({ ...error }, depth + 1) as Record<string, unknown>;
  return {
    type: error.name,
    ...fields,
    message: scrubString(error.message),
    stack: error.stack === undefined ? undefined : scrubString(error.stack),
  };
}

/** True when `key` names a secret, whatever its case. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY_SET.has(key.toLowerCase());
}
