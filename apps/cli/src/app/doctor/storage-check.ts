import { BlobServiceClient } from '@azure/storage-blob';
import { errorText, fail, ok, skip, type Finding } from './finding';

/** Blob storage for recordings: the account answers with the configured connection string. */
export async function checkStorage(connectionString: string | undefined, required: boolean, timeoutMs: number): Promise<Finding> {
  const check = 'storage';
  if (!connectionString) {
    return required
      ? fail(check, 'BLOB_CONNECTION_STRING is not set; compliance recording stores recordings in Blob storage', 'create a storage account and set BLOB_CONNECTION_STRING (the chart: recordingCompliance.blob.existingSecret)')
      : skip(check, 'BLOB_CONNECTION_STRING is not set and compliance recording is off');
  }
  let account = 'the account';
  try {
    const client = BlobServiceClient.fromConnectionString(connectionString, { retryOptions: { maxTries: 1, tryTimeoutInMs: timeoutMs } });
    account = client.accountName || client.url;
    await client.getProperties({ abortSignal: AbortSignal.timeout(timeoutMs) });
    return ok(check, `Blob storage ${account} answers`);
  } catch (error) {
    // The SDK's messages never carry the account key; the connection string itself is not printed.
    return fail(check, `Blob storage ${account} does not answer: ${errorText(error).split('\n')[0]}`, 'check BLOB_CONNECTION_STRING (account name, key, endpoint) and that the account allows this network');
  }
}
