import { bootForTest, loadConfig } from '@switchboard/service-kit';
import { AppModule } from './app.module';
import { complianceConfigSchema, SERVICE_NAME } from './config';
import { natsForSpecFile } from '@switchboard/dev-infra';

const nats = natsForSpecFile();
const AZURITE =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;';

describe('recording-compliance service', () => {
  it('defaults to HTTP port 3002 and treats the blob connection string as optional', () => {
    const config = loadConfig(complianceConfigSchema, {});
    expect(config.HTTP_PORT).toBe(3002);
    expect(config.BLOB_CONNECTION_STRING).toBeUndefined();
    expect(loadConfig(complianceConfigSchema, { BLOB_CONNECTION_STRING: AZURITE }).BLOB_CONNECTION_STRING).toBe(AZURITE);
  });

  it('boots with valid config and is live and ready against real NATS', async () => {
    const { app, close } = await bootForTest({
      module: AppModule,
      service: SERVICE_NAME,
      natsQueue: SERVICE_NAME,
      env: { NATS_URL: nats.url, LOG_LEVEL: 'warn', BLOB_CONNECTION_STRING: AZURITE },
    });
    try {
      expect((await app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });
      const ready = await app.inject({ method: 'GET', url: '/health/ready' });
      expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ok', checks: { nats: { status: 'ok' } } }]);
    } finally {
      await close();
    }
  });

  it('refuses a malformed blob connection string and a bad log level, naming both', async () => {
    const booting = bootForTest({
      module: AppModule,
      service: SERVICE_NAME,
      env: { NATS_URL: nats.url, BLOB_CONNECTION_STRING: 'https://example.invalid/container', LOG_LEVEL: 'chatty' },
    });
    await expect(booting).rejects.toThrow(
      /^Invalid configuration: LOG_LEVEL: must be one of .*; BLOB_CONNECTION_STRING: must be an Azure Storage connection string/,
    );
  });
});
