import { BlobServiceClient } from '@azure/storage-blob';
import { azuriteForSpecFile } from './azurite';

const azurite = azuriteForSpecFile();

describe('Azurite for specs', () => {
  it('serves a blob service the storage SDK writes to and reads from', async () => {
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('probe');
    await container.createIfNotExists();
    await container.getBlockBlobClient('a.txt').upload('hello', 5);
    expect((await container.getBlockBlobClient('a.txt').downloadToBuffer()).toString()).toBe('hello');
  });
});
