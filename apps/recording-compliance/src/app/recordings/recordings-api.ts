import { randomUUID } from 'node:crypto';
import { failure, parseOrRefuse, type ApiAuthenticator } from '@switchboard/api-auth';
import { recordingsQuerySchema, type RecordingMetadata } from '@switchboard/nats-contracts';
import type { RecordingCatalog } from '@switchboard/recording-store';
import { authorizeOrRefuse } from '../api/api-access';
import { AUDIT_ROLE } from '../audit/audit-api';
import type { AuditSink } from '../grants/grant-ports';

export const NO_STORAGE_MESSAGE = 'recordings are not available: set BLOB_CONNECTION_STRING';

/**
 * Listing and reading recordings: the same role as the audit trail, refused when no storage is configured. Every
 * download is an audit record naming who took the recording.
 */
export class RecordingsApi {
  constructor(
    private readonly authenticator: ApiAuthenticator | undefined,
    private readonly catalog: Pick<RecordingCatalog, 'list' | 'get'> | undefined,
    private readonly audit: AuditSink,
  ) {}

  async list(authorization: string | undefined, query: Record<string, string | undefined>): Promise<{ recordings: RecordingMetadata[] }> {
    await authorizeOrRefuse(this.authenticator, authorization, AUDIT_ROLE, 'listing recordings');
    const { callId, limit } = query;
    return this.listRecordings(parseOrRefuse(recordingsQuerySchema, { ...(callId ? { callId } : {}), ...(limit ? { limit: Number(limit) } : {}) }, 'query'));
  }

  async download(authorization: string | undefined, recordingId: string): Promise<{ metadata: RecordingMetadata; content: Buffer }> {
    const caller = await authorizeOrRefuse(this.authenticator, authorization, AUDIT_ROLE, 'downloading a recording');
    const found = await this.requireCatalog().get(recordingId);
    if (!found) throw failure(404, 'RecordingNotFound', `no recording ${recordingId}`);
    const { metadata } = found;
    await this.audit.append({
      auditId: randomUUID(),
      action: 'recording-downloaded',
      actor: caller.subject,
      callId: metadata.callId,
      ...(metadata.tenantId ? { tenantId: metadata.tenantId } : {}),
      ...(metadata.grantId ? { grantId: metadata.grantId } : {}),
      recording: metadata,
    });
    return found;
  }

  /** Also the NATS `recordings` command (NATS permissions decide who may ask). */
  async listRecordings(query: { callId?: string; limit?: number }): Promise<{ recordings: RecordingMetadata[] }> {
    return { recordings: await this.requireCatalog().list(query) };
  }

  private requireCatalog(): Pick<RecordingCatalog, 'list' | 'get'> {
    if (!this.catalog) throw failure(503, 'NotConfigured', NO_STORAGE_MESSAGE);
    return this.catalog;
  }
}
