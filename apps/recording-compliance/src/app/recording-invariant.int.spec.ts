import { BlobServiceClient } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import { azuriteForSpecFile, natsForSpecFile, waitUntil } from '@switchboard/dev-infra';
import type { Grant } from '@switchboard/nats-contracts';
import { NatsLeaseAuthority, NatsRecordingAnnouncer, RecordingCatalog, RecordingWriter } from '@switchboard/recording-store';
import type { ApiAuthenticator } from '@switchboard/api-auth';
import { ComplianceHarness, refusalOf } from './grants/compliance-harness.testing';
import { RecordingsApi } from './recordings/recordings-api';
import { RetentionSweeper } from './recordings/retention-sweeper';

const nats = natsForSpecFile();
const azurite = azuriteForSpecFile();
jest.setTimeout(60_000);

/**
 * The recording invariant end to end through real NATS (grant commands, lease events, the audit stream) and real
 * Blob storage (Azurite): the recordings writer asks recording-compliance for every write. Signaling is the
 * collaborator faked here; it answers status requests with the events signaling publishes.
 */
describe('no byte reaches storage without a granted recording status', () => {
  const leaseMs = 20_000;
  const h = new ComplianceHarness(leaseMs);
  let writer: RecordingWriter;
  let catalog: RecordingCatalog;

  beforeAll(async () => {
    await h.start(nats.url);
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('recordings');
    catalog = new RecordingCatalog(container);
    writer = new RecordingWriter({
      container,
      leases: new NatsLeaseAuthority(h.nc, h.compliance, 'media-0'),
      announcer: new NatsRecordingAnnouncer(h.nc, h.js, h.compliance),
      recorder: 'media-0',
      retentionDays: (tenantId) => (tenantId === 'tenant-1' ? 3650 : 30),
    });
  });

  afterAll(async () => {
    writer.close();
    await h.stop();
  });

  afterEach(() => h.reset());

  const newCall = () => h.newCall();
  const details = { tenantId: 'tenant-1', participants: [{ id: 'caller-1', displayName: 'Ann' }], contentType: 'audio/wav', extension: 'wav' };
  const lease = (grant: Grant) => ({ grantId: grant.grantId, callId: grant.callId });
  const trail = (callId: string) => h.trail(callId);
  const refused = (work: Promise<unknown>) => refusalOf(work);

  it('with the status operation delayed, nothing is written until Graph reports it completed', async () => {
    const callId = newCall();
    h.signaling.graphAnswer = 'later';
    const pending = await h.grants.start({ callId, recorder: 'media-0', waitMs: 100 });
    expect(pending.state).toBe('pending');
    expect(await refused(writer.open(lease(pending), details))).toMatchObject({ code: 'GrantPending' });
    expect(await catalog.blobsOfCall('tenant-1', callId)).toEqual([]);

    await h.signaling.report(callId, h.signaling.requests.at(-1)!.clientContext, 'completed');
    await waitUntil(async () => (await h.grants.check(lease(pending)).catch(() => undefined))?.state === 'active', 'the grant', 10_000, 20);
    const session = await writer.open(lease(pending), details);
    const audio = [Buffer.from('RIFF....WAVEfmt '), Buffer.from('first second of speech'), Buffer.from('second second')];
    for (const chunk of audio) await session.write(chunk, 'caller-1');
    const stored = await session.finish();

    const bytes = Buffer.concat(audio);
    expect(stored).toMatchObject({ callId, tenantId: 'tenant-1', grantId: pending.grantId, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), speakers: ['caller-1'] });
    expect(Date.parse(stored.retainUntil) - Date.parse(stored.endedAt)).toBe(3650 * 24 * 3600_000);
    expect((await catalog.get(stored.recordingId))?.content.equals(bytes)).toBe(true);
    expect(await trail(callId)).toEqual(['grant-requested', 'status-requested:recording', 'status-result:recording', 'granted', 'recording-stored']);
  });

  it('with the status operation failing, nothing is ever written and failed is reported', async () => {
    const callId = newCall();
    h.signaling.graphAnswer = 'failed';
    expect(await refused(h.grants.start({ callId, recorder: 'media-0' }))).toMatchObject({ code: 'NotGranted' });
    const grantId = (await h.audit.query({ callId }))[0].grantId!;
    expect(await refused(writer.open({ grantId, callId }, details))).toMatchObject({ code: 'GrantEnded' });
    await waitUntil(() => h.signaling.statuses(callId).includes('failed'), 'failed', 10_000, 20);
    expect(await catalog.blobsOfCall('tenant-1', callId)).toEqual([]);
  });

  it('after stop, notRecording is sent only after the last write, and no write follows', async () => {
    const callId = newCall();
    const grant = await h.grants.start({ callId, recorder: 'media-0' });
    const session = await writer.open(lease(grant), details);
    await session.write(Buffer.from('the whole message'));
    await session.finish();
    expect(h.signaling.statuses(callId)).toEqual(['recording']);
    await h.grants.stop({ ...lease(grant), recorder: 'media-0' });
    expect(h.signaling.statuses(callId)).toEqual(['recording', 'notRecording']);
    const late = await refused(writer.open(lease(grant), details));
    expect(late).toMatchObject({ code: 'GrantEnded' });
    const steps = await trail(callId);
    expect(steps.indexOf('recording-stored')).toBeLessThan(steps.indexOf('status-requested:notRecording'));
  });

  it('a recorder killed mid-recording ends in a revoked lease, failed sent, no blob, and an audit record for each step', async () => {
    const callId = newCall();
    const grant = await h.grants.start({ callId, recorder: 'media-0' });
    const session = await writer.open(lease(grant), details);
    await session.write(Buffer.from('half a message'));
    // The recorder dies: nobody renews. The sweep finds the expired lease; the session ends on the revocation at once.
    h.clock = leaseMs + 1;
    expect(await h.sweep()).toBeGreaterThanOrEqual(1); // grants of earlier tests that were never stopped expire too
    await waitUntil(() => session.endedBecause !== undefined, 'the session to end on the revocation', 10_000, 20);
    expect(await refused(session.write(Buffer.from('more')))).toMatchObject({ code: 'RecordingEnded' });
    expect(await refused(session.finish())).toMatchObject({ code: 'RecordingEnded' });
    expect(h.signaling.statuses(callId)).toEqual(['recording', 'failed']);
    expect(await catalog.blobsOfCall('tenant-1', callId)).toEqual([]);
    await waitUntil(async () => (await trail(callId)).includes('status-result:failed'), 'the failed outcome', 10_000, 20);
    expect(await trail(callId)).toEqual(['grant-requested', 'status-requested:recording', 'status-result:recording', 'granted', 'revoked', 'status-requested:failed', 'status-result:failed']);
    expect((await h.audit.query({ callId })).find((r) => r.action === 'revoked')).toMatchObject({ actor: 'lease-expiry', reason: 'the lease expired without renewal' });
  });

  it('refuses a write without a grant, with a forged lease, or for another call, and writes nothing', async () => {
    const callId = newCall();
    expect(await refused(writer.open({ grantId: '9b2f6c1e-0000-4000-8000-000000000000', callId }, details))).toMatchObject({ code: 'UnknownGrant' });
    const grant = await h.grants.start({ callId, recorder: 'media-0' });
    expect(await refused(writer.open({ grantId: grant.grantId, callId: newCall() }, details))).toMatchObject({ code: 'UnknownGrant' });
    expect(await catalog.blobsOfCall('tenant-1', callId)).toEqual([]);
  });

  describe('stored recordings', () => {
    /** Records one message on a new call of the tenant, under a grant, and stops it. */
    async function recordMessage(tenantId: string, text: string) {
      const callId = h.newCall('established', { tenantId });
      const grant = await h.grants.start({ callId, recorder: 'media-0' });
      const session = await writer.open(lease(grant), { ...details, tenantId });
      await session.write(Buffer.from(text), 'caller-1');
      const stored = await session.finish();
      await h.grants.stop({ ...lease(grant), recorder: 'media-0' });
      return stored;
    }

    it("lists a call's recordings and finds one by id from the blobs' own metadata; a download is audited with who took it", async () => {
      const first = await recordMessage('tenant-1', 'first message');
      const second = await recordMessage('tenant-1', 'second message');
      expect((await catalog.list({ callId: first.callId })).map((r) => r.recordingId)).toEqual([first.recordingId]);
      const api = new RecordingsApi({ authorize: async () => ({ subject: 'auditor-app', roles: ['Compliance.Read'] }) } as unknown as ApiAuthenticator, catalog, h.audit);
      const downloaded = await api.download('Bearer t', second.recordingId);
      expect(downloaded.content.toString()).toBe('second message');
      expect(downloaded.metadata).toEqual(second);
      await waitUntil(async () => (await trail(second.callId)).includes('recording-downloaded'), 'the download record', 10_000, 20);
      expect((await h.audit.query({ callId: second.callId })).at(-1)).toMatchObject({ action: 'recording-downloaded', actor: 'auditor-app', grantId: second.grantId, recording: second });
      await expect(api.download('Bearer t', 'no-such-recording')).rejects.toMatchObject({ status: 404 });
    });

    it("deletes recordings past their tenant's retention, each audited once, and keeps the others", async () => {
      const kept = await recordMessage('tenant-1', 'kept ten years');
      const due = await recordMessage('tenant-2', 'kept thirty days');
      const later = new Date(Date.now() + 31 * 24 * 3600_000);
      // Two replicas sweep at once: the recording is deleted once and audited once.
      const sweeper = () => new RetentionSweeper(catalog, h.audit, 60_000, { warn: () => undefined }, () => later);
      const deleted = await Promise.all([sweeper().sweepOnce(), sweeper().sweepOnce()]);
      expect(deleted.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
      expect(await catalog.blobsOfCall('tenant-2', due.callId)).toEqual([]);
      expect((await catalog.get(kept.recordingId))?.content.toString()).toBe('kept ten years');
      await waitUntil(async () => (await trail(due.callId)).includes('recording-deleted'), 'the deletion record', 10_000, 20);
      const records = (await h.audit.query({ callId: due.callId })).filter((r) => r.action === 'recording-deleted');
      expect(records).toEqual([expect.objectContaining({ actor: 'retention', tenantId: 'tenant-2', recording: due, reason: `retained until ${due.retainUntil}` })]);
      expect(await trail(kept.callId)).not.toContain('recording-deleted');
    });
  });
});
