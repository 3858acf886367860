import { BlobServiceClient } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import { removeJetStreamNamespace, startAzurite, waitUntil, type AzuriteEndpoint } from '@switchboard/dev-infra';
import { complianceNames } from '@switchboard/nats-contracts';
import { NatsLeaseAuthority, NatsRecordingAnnouncer, RecordingCatalog, RecordingWriter, type Lease } from '@switchboard/recording-store';
import { auditOf, auditSteps, GRANTED_RECORDING_STEPS } from './support/compliance-audit';
import { E2eHarness } from './support/harness';

const LEASE_MS = 3000;

/**
 * The recording invariant on the real platform: the emulator as Graph, signaling sending updateRecordingStatus
 * through its outbox, recording-compliance granting, and a recorder writing to Azurite through the one writer.
 */
describe('recording compliance, end to end', () => {
  let h: E2eHarness;
  let azurite: AzuriteEndpoint;
  let leases: NatsLeaseAuthority;
  let writer: RecordingWriter;
  let catalog: RecordingCatalog;
  const names = () => complianceNames(h.names.namespace);

  beforeAll(async () => {
    azurite = await startAzurite();
    h = await E2eHarness.start({ services: ['recording-compliance'], serviceEnv: { 'recording-compliance': { LEASE_MS: String(LEASE_MS), SWEEP_INTERVAL_MS: '200' } } });
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('recordings');
    catalog = new RecordingCatalog(container);
    leases = new NatsLeaseAuthority(h.nc, names(), 'e2e-recorder');
    writer = new RecordingWriter({ container, leases, announcer: new NatsRecordingAnnouncer(h.nc, h.nc.jetstream(), names()), recorder: 'e2e-recorder', retentionDays: () => 30 });
  });
  afterAll(async () => {
    writer?.close();
    if (h) await removeJetStreamNamespace(h.nc, { ...h.names, streams: names().streams });
    await h?.stop();
    await azurite?.stop();
  });
  afterEach(() => h.control('PUT', '/emulator/recording-status', { delayMs: 0 }));

  const establishedCall = async (): Promise<string> => {
    const callId = await h.incomingCall({ caller: { displayName: 'Grace Hopper' } });
    await h.waitForEvent(callId, 'established');
    return callId;
  };
  const statusRequests = async (callId: string) =>
    (await h.graphRequests(callId)).filter((r) => r.path.endsWith('/updateRecordingStatus')).map((r) => ({ status: (r.body as { status: string }).status, at: r.at }));
  const audit = (callId: string) => auditOf(h, callId);
  const refused = async (work: Promise<unknown>) => work.then(() => 'not refused', (error: { code?: string }) => error.code);
  const details = { tenantId: undefined, participants: [{ id: 'caller' }], contentType: 'audio/wav', extension: 'wav' };

  it('with the status delayed, no byte reaches storage until Graph completes it; stop sends notRecording after the last write', async () => {
    await h.control('PUT', '/emulator/recording-status', { delayMs: 1500, count: 1 });
    const callId = await establishedCall();
    const pending = await leases.start(callId, 100);
    expect(pending.state).toBe('pending');
    const lease: Lease = { grantId: pending.grantId, callId };
    expect(await refused(writer.open(lease, details))).toBe('GrantPending');
    expect(await catalog.blobsOfCall(undefined, callId)).toEqual([]);

    await waitUntil(async () => (await leases.check(lease).then(() => true, () => false)), 'the grant', 20_000, 100);
    const session = await writer.open(lease, details);
    const audio = Buffer.from('a recorded message');
    await session.write(audio, 'caller');
    const stored = await session.finish();
    await leases.stop(lease);

    expect(stored.sha256).toBe(createHash('sha256').update(audio).digest('hex'));
    await waitUntil(async () => (await statusRequests(callId)).length === 2, 'notRecording at Graph', 20_000, 100);
    const statuses = await statusRequests(callId);
    expect(statuses.map((s) => s.status)).toEqual(['recording', 'notRecording']);
    expect(Date.parse(statuses[1].at)).toBeGreaterThanOrEqual(Date.parse(stored.endedAt));
    await waitUntil(async () => (await audit(callId)).some((r) => r.action === 'status-result' && r.status === 'notRecording'), 'the notRecording outcome', 20_000, 100);
    expect(await auditSteps(h, callId)).toEqual(GRANTED_RECORDING_STEPS);
    const granted = (await audit(callId)).find((r) => r.action === 'granted');
    expect(granted?.operationId).toMatch(/[0-9a-f-]{36}/);
  });

  it('with the status failing, nothing is written and failed is reported to Graph', async () => {
    await h.control('PUT', '/emulator/recording-status', { fail: { code: 500, subcode: 9001 }, count: 1 });
    const callId = await establishedCall();
    expect(await refused(leases.start(callId))).toBe('NotGranted');
    await waitUntil(async () => (await statusRequests(callId)).length === 2, 'failed at Graph', 20_000, 100);
    expect((await statusRequests(callId)).map((s) => s.status)).toEqual(['recording', 'failed']);
    expect(await catalog.blobsOfCall(undefined, callId)).toEqual([]);
  });

  it('a recorder that stops renewing mid-recording loses its lease: revoked, failed sent, nothing committed', async () => {
    const callId = await establishedCall();
    const grant = await leases.start(callId);
    const session = await writer.open({ grantId: grant.grantId, callId }, details);
    await session.write(Buffer.from('half a message'));
    // The recorder is gone: nobody renews; the service's sweep revokes the lease and the writer ends the session.
    await waitUntil(async () => (await audit(callId)).some((r) => r.action === 'revoked'), 'the revocation', LEASE_MS + 30_000, 200);
    expect(['RecordingEnded', 'GrantEnded']).toContain(await refused(session.write(Buffer.from('more'))));
    expect(await refused(session.finish())).toBe('RecordingEnded');
    await waitUntil(async () => (await statusRequests(callId)).length === 2, 'failed at Graph', 20_000, 100);
    expect((await statusRequests(callId)).map((s) => s.status)).toEqual(['recording', 'failed']);
    expect(await catalog.blobsOfCall(undefined, callId)).toEqual([]);
    expect((await audit(callId)).find((r) => r.action === 'revoked')).toMatchObject({ actor: 'lease-expiry' });
  });

  it('refuses a grant for an unknown call, asked twice, and a stop without start, changing nothing', async () => {
    expect(await refused(leases.start('00000000-0000-4000-8000-000000000000'))).toBe('CallNotFound');
    const callId = await establishedCall();
    expect(await refused(leases.stop({ grantId: '9b2f6c1e-0000-4000-8000-000000000000', callId }))).toBe('UnknownGrant');
    const grant = await leases.start(callId);
    expect(await refused(leases.start(callId))).toBe('GrantExists');
    expect((await statusRequests(callId)).map((s) => s.status)).toEqual(['recording']);
    await leases.stop({ grantId: grant.grantId, callId });
  });
});
