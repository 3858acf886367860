import { z } from 'zod';

/**
 * The Blob storage variables of every service that writes or reads recordings (signaling, recording-compliance),
 * defined once: Azure Storage in production, Azurite locally.
 */
export const recordingStorageEnv = z.object({
  /** Where recordings are stored: an Azure Storage connection string (Azurite's development account locally). */
  BLOB_CONNECTION_STRING: z
    .string()
    .trim()
    .regex(/(^|;)(BlobEndpoint|AccountName)=/i, 'must be an Azure Storage connection string (BlobEndpoint=… or AccountName=…)')
    .optional(),
  /** The Blob container recordings are written to and read from. */
  RECORDINGS_CONTAINER: z.string().regex(/^[a-z0-9](-?[a-z0-9]){2,62}$/, 'must be a Blob container name (3-63 lower-case letters, digits, single dashes)').default('recordings'),
});
