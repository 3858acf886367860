import { bootForTest, loadConfig } from '@switchboard/service-kit';
import { AppModule } from './app.module';
import { complianceConfigSchema, SERVICE_NAME } from './config';
import { natsForSpecFile, removeJetStreamNamespace } from '@switchboard/dev-infra';
import { complianceNames, complianceReplySchema, natsNames } from '@switchboard/nats-contracts';
import { connect } from 'nats';

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

  it('answers grant commands over NATS: a bad payload is refused, and without signaling nothing is granted', async () => {
    const namespace = `rc${Date.now().toString(36)}`;
    const { app, close } = await bootForTest({
      module: AppModule,
      service: SERVICE_NAME,
      natsQueue: SERVICE_NAME,
      env: { NATS_URL: nats.url, LOG_LEVEL: 'silent', NATS_NAMESPACE: namespace },
    });
    const nc = await connect({ servers: nats.url });
    try {
      const names = complianceNames(namespace);
      const ask = async (action: 'start' | 'check', payload: unknown) =>
        complianceReplySchema.parse((await nc.request(names.commandSubject(action), JSON.stringify(payload), { timeout: 10_000 })).json());
      expect(await ask('start', { callId: 'c-1' })).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/recorder/) });
      expect(await ask('start', { callId: 'c-1', recorder: 'media-0' })).toMatchObject({ ok: false, status: 503, code: 'SignalingUnavailable' });
      expect(await ask('check', { callId: 'c-1', grantId: '9b2f6c1e-0000-4000-8000-000000000000' })).toMatchObject({ ok: false, status: 404, code: 'UnknownGrant' });
      const audit = await app.inject({ method: 'GET', url: '/v1/audit?callId=c-1' });
      expect([audit.statusCode, audit.json()]).toEqual([503, { statusCode: 503, code: 'NotConfigured', message: expect.stringMatching(/API_AUTH_OIDC_URL/) }]);
    } finally {
      await removeJetStreamNamespace(nc, { ...natsNames(namespace), streams: [...natsNames(namespace).streams, ...complianceNames(namespace).streams] });
      await nc.close();
      await close();
    }
  });

  it('refuses per-tenant settings that are not JSON or hold a value out of range', async () => {
    for (const [name, value, message] of [
      ['TENANT_RECORDING_FAILURE_POLICIES', 'stay', /TENANT_RECORDING_FAILURE_POLICIES: must be a JSON object of tenant id to "leave" or "stay-and-alert"/],
      ['TENANT_RECORDING_FAILURE_POLICIES', '{"t-1": "hang-up"}', /TENANT_RECORDING_FAILURE_POLICIES\.t-1: /],
      ['TENANT_RECORDING_RETENTION_DAYS', '{"t-1": 0}', /TENANT_RECORDING_RETENTION_DAYS\.t-1: /],
      ['TENANT_RECORDING_RETENTION_DAYS', 'ten years', /TENANT_RECORDING_RETENTION_DAYS: must be a JSON object of tenant id to days/],
    ] as const) {
      const booting = bootForTest({ module: AppModule, service: SERVICE_NAME, env: { NATS_URL: nats.url, [name]: value } });
      await expect(booting).rejects.toThrow(message);
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
