import { authorizeOrRefuse } from '../api/api-access';
import { auditQuerySchema, type AuditRecord } from '@switchboard/nats-contracts';
import { parseOrRefuse, type ApiAuthenticator } from '@switchboard/api-auth';
import type { AuditTrail } from './audit-trail';

/** The role an API token needs to read the audit trail (and the recordings). */
export const AUDIT_ROLE = 'Compliance.Read';

export interface AuditHttpRequest {
  authorization?: string;
  query: Record<string, string | undefined>;
}

/** `GET /v1/audit?callId=&from=&to=&limit=`, as JSON or, with `format=jsonl`, as JSON Lines (the export). */
export async function auditAnswer(
  authenticator: ApiAuthenticator | undefined,
  audit: Pick<AuditTrail, 'query'>,
  request: AuditHttpRequest,
): Promise<{ status: number; contentType: string; body: string }> {
  await authorizeOrRefuse(authenticator, request.authorization, AUDIT_ROLE, 'reading the audit trail');
  const { format, limit, ...fields } = request.query;
  const query = parseOrRefuse(
    auditQuerySchema,
    { ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)), ...(limit !== undefined ? { limit: Number(limit) } : {}) },
    'query',
  );
  const records = await audit.query(query);
  if (format === 'jsonl') return { status: 200, contentType: 'application/x-ndjson', body: jsonLines(records) };
  return { status: 200, contentType: 'application/json', body: JSON.stringify({ records }) };
}

export const jsonLines = (records: AuditRecord[]): string => records.map((r) => `${JSON.stringify(r)}\n`).join('');
