import { envPort, httpEnv, logEnv, natsEnv } from '@switchboard/service-kit';
import { z } from 'zod';

export const SERVICE_NAME = 'recording-compliance';

export const complianceConfigSchema = natsEnv.extend({
  ...httpEnv.shape,
  ...logEnv.shape,
  HTTP_PORT: envPort(3002),
  // Recordings go to Blob storage once the recording protocol lands; optional until then.
  BLOB_CONNECTION_STRING: z
    .string()
    .trim()
    .regex(/(^|;)(BlobEndpoint|AccountName)=/i, 'must be an Azure Storage connection string (BlobEndpoint=… or AccountName=…)')
    .optional(),
});

export type ComplianceConfig = z.output<typeof complianceConfigSchema>;
