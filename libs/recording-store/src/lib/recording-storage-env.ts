import { z } from 'zod';
import { envInt, envJson } from '@switchboard/service-kit';
import { tenantSetting } from './tenant-setting';

/** Where recordings are stored and how long they are kept, as every service that writes or reads them is configured. */
export const recordingStorageEnv = z.object({
  /** Azure Storage in production, Azurite locally; unset: the service stores (and lists) no recordings. */
  BLOB_CONNECTION_STRING: z
    .string()
    .trim()
    .regex(/(^|;)(BlobEndpoint|AccountName)=/i, 'must be an Azure Storage connection string (BlobEndpoint=… or AccountName=…)')
    .optional(),
  /** The Blob container recordings are written to and read from. */
  RECORDINGS_CONTAINER: z.string().regex(/^[a-z0-9](-?[a-z0-9]){2,62}$/, 'must be a Blob container name (3-63 lower-case letters, digits, single dashes)').default('recordings'),
  /** Days a recording is kept (its metadata's retain-until; recording-compliance deletes it after). */
  RECORDING_RETENTION_DAYS: envInt({ min: 1, max: 36_500, fallback: 365 }),
  /** Tenants whose retention differs: a JSON object of tenant id to days. */
  TENANT_RECORDING_RETENTION_DAYS: envJson(
    z.record(z.string().min(1, 'a tenant id must not be empty'), z.number().int().min(1).max(36_500)),
    'a JSON object of tenant id to days (1 to 36500)',
    '{}',
  ),
});
export type RecordingStorageConfig = z.output<typeof recordingStorageEnv>;

/** The retention of a tenant's recordings: its own, or the deployment's. */
export const retentionDaysFor =
  (config: Pick<RecordingStorageConfig, 'RECORDING_RETENTION_DAYS' | 'TENANT_RECORDING_RETENTION_DAYS'>) =>
  (tenantId: string | undefined): number =>
    tenantSetting(config.TENANT_RECORDING_RETENTION_DAYS, tenantId, config.RECORDING_RETENTION_DAYS);
