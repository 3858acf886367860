/**
 * A compare-and-set on a JetStream KV entry lost: JetStream answers a failed `update` with "wrong last sequence"
 * (10071), and a `create` on an existing key the same way.
 */
export function isRevisionMismatch(error: unknown): boolean {
  const e = error as { api_error?: { err_code?: number }; message?: string };
  return e?.api_error?.err_code === 10071 || /wrong last sequence|key exists/i.test(e?.message ?? '');
}
