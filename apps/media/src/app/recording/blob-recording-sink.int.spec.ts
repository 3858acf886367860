import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import { azuriteForSpecFile } from '@switchboard/dev-infra';
import { readWav } from '@switchboard/media-dsp';
import { LeaseRefused, RecordingCatalog, RecordingWriter, type Lease, type LeaseAuthority } from '@switchboard/recording-store';
import { BlobRecordingSink } from './blob-recording-sink';

const azurite = azuriteForSpecFile();
jest.setTimeout(30_000);

/** Leases the test ends by hand (recording-compliance's part; its real protocol runs in platform-e2e). */
class TestLeases implements LeaseAuthority {
  readonly ended = new Set<string>();
  private listeners = new Set<(grantId: string) => void>();
  async check(lease: Lease): Promise<void> {
    if (this.ended.has(lease.grantId)) throw new LeaseRefused('GrantEnded', `grant ${lease.grantId} has ended`);
  }
  async revoke(lease: Lease): Promise<void> {
    this.end(lease.grantId);
  }
  watchEnds(onEnded: (grantId: string) => void): () => void {
    this.listeners.add(onEnded);
    return () => this.listeners.delete(onEnded);
  }
  end(grantId: string): void {
    this.ended.add(grantId);
    for (const l of this.listeners) l(grantId);
  }
}

describe('BlobRecordingSink: a track through the recordings writer to Blob storage (Azurite)', () => {
  let container: ContainerClient;
  let catalog: RecordingCatalog;
  let leases: TestLeases;
  let writer: RecordingWriter;
  let calls = 0;

  beforeAll(() => {
    container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('recordings');
    catalog = new RecordingCatalog(container);
    leases = new TestLeases();
    writer = new RecordingWriter({ container, leases, announcer: { announce: async () => undefined }, recorder: 'media:media-0', retentionDays: () => 30 });
  });
  afterAll(() => writer.close());

  const lease = () => ({ grantId: `g-${++calls}`, callId: `call-${calls}` });
  const frame = (value: number) => Buffer.from(new Int16Array(320).fill(value).buffer);
  const participants = [{ id: 'p-ann', displayName: 'Ann' }];

  it('commits a WAV of every frame with its metadata on a normal close', async () => {
    const l = lease();
    const sink = new BlobRecordingSink(writer, l, { tenantId: 'tenant-1', participants }, 'p-ann', { framesPerBlock: 10 });
    for (let i = 0; i < 25; i++) expect(sink.write(frame(i))).toBe(true);
    const stored = await sink.close('ended');

    expect(stored).toMatchObject({ container: 'recordings', durationMs: 500, bytes: 44 + 25 * 640 });
    const [metadata] = await catalog.list({ callId: l.callId });
    expect(metadata).toMatchObject({ callId: l.callId, tenantId: 'tenant-1', grantId: l.grantId, participants, speakers: ['p-ann'], durationMs: 500, contentType: 'audio/wav' });
    const content = await container.getBlockBlobClient(stored!.blobName).downloadToBuffer();
    expect(createHash('sha256').update(content).digest('hex')).toBe(stored!.sha256);
    const wav = readWav(content);
    expect(wav.sampleRate).toBe(16000);
    expect([wav.samples[0], wav.samples[320 * 24]]).toEqual([0, 24]);
  });

  it('commits nothing when the grant ends mid-way, and takes no frame after', async () => {
    const l = lease();
    const sink = new BlobRecordingSink(writer, l, { participants }, undefined, { framesPerBlock: 5 });
    for (let i = 0; i < 12; i++) sink.write(frame(i));
    leases.end(l.grantId);
    expect(await sink.close('revoked')).toBeUndefined();
    expect(sink.write(frame(99))).toBe(false);
    expect(await catalog.blobsOfCall(undefined, l.callId)).toEqual([]);
  });

  it('refuses to commit when the lease no longer holds at the end, storing nothing', async () => {
    const l = lease();
    const sink = new BlobRecordingSink(writer, l, { participants }, undefined, { framesPerBlock: 5 });
    for (let i = 0; i < 7; i++) sink.write(frame(i));
    leases.ended.add(l.grantId);
    await expect(sink.close('ended')).rejects.toThrow(/has ended|no more writes/);
    expect(await catalog.blobsOfCall(undefined, l.callId)).toEqual([]);
  });

  it('never makes the frame path wait: beyond its buffer it drops frames and says so', () => {
    const sink = new BlobRecordingSink(writer, lease(), { participants }, undefined, { capacityFrames: 3, framesPerBlock: 100 });
    expect([1, 2, 3, 4].map((v) => sink.write(frame(v)))).toEqual([true, true, true, false]);
    void sink.close('cancelled');
  });
});
