import { failure, parseOrRefuse, type ApiAuthenticator } from '@switchboard/api-auth';
import { recordingsQuerySchema, type RecordingMetadata } from '@switchboard/nats-contracts';
import type { RecordingCatalog } from '@switchboard/recording-store';
import { authorizeOrRefuse } from '../api/api-access';
import { AUDIT_ROLE } from '../audit/audit-api';

export const NO_STORAGE_MESSAGE = 'recordings are not available: set BLOB_CONNECTION_STRING';

/** Listing and reading recordings: the same role as the audit trail, refused when no storage is configured. */
export class RecordingsApi {
  constructor(
    private readonly authenticator: ApiAuthenticator | undefined,
    private readonly catalog: RecordingCatalog | undefined,
  ) {}

  async list(authorization: string | undefined, query: Record<string, string | undefined>): Promise<{ recordings: RecordingMetadata[] }> {
    await authorizeOrRefuse(this.authenticator, authorization, AUDIT_ROLE, 'listing recordings');
    const { callId, limit } = query;
    return this.listRecordings(parseOrRefuse(recordingsQuerySchema, { ...(callId ? { callId } : {}), ...(limit ? { limit: Number(limit) } : {}) }, 'query'));
  }

  async download(authorization: string | undefined, recordingId: string): Promise<{ metadata: RecordingMetadata; content: Buffer }> {
    await authorizeOrRefuse(this.authenticator, authorization, AUDIT_ROLE, 'downloading a recording');
    const found = await this.requireCatalog().get(recordingId);
    if (!found) throw failure(404, 'RecordingNotFound', `no recording ${recordingId}`);
    return found;
  }

  /** Also the NATS `recordings` command (NATS permissions decide who may ask). */
  async listRecordings(query: { callId?: string; limit?: number }): Promise<{ recordings: RecordingMetadata[] }> {
    return { recordings: await this.requireCatalog().list(query) };
  }

  private requireCatalog(): RecordingCatalog {
    if (!this.catalog) throw failure(503, 'NotConfigured', NO_STORAGE_MESSAGE);
    return this.catalog;
  }
}
