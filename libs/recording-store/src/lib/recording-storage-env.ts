import { z } from 'zod';

/** Where recordings are stored, as every service that writes or reads them is configured (service-kit style env). */
export const recordingStorageEnv = z.object({
  /** Azure Storage in production, Azurite locally; unset: the service stores (and lists) no recordings. */
  BLOB_CONNECTION_STRING: z
    .string()
    .trim()
    .regex(/(^|;)(BlobEndpoint|AccountName)=/i, 'must be an Azure Storage connection string (BlobEndpoint=… or AccountName=…)')
    .optional(),
  /** The Blob container recordings are written to and read from. */
  RECORDINGS_CONTAINER: z.string().regex(/^[a-z0-9](-?[a-z0-9]){2,62}$/, 'must be a Blob container name (3-63 lower-case letters, digits, single dashes)').default('recordings'),
});
