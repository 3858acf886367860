import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { azuriteForSpecFile } from '@switchboard/dev-infra';
import type { RecordingMetadata } from '@switchboard/nats-contracts';
import { LeaseRefused, RecordingCatalog, RecordingWriter, type Lease, type LeaseAuthority } from '@switchboard/recording-store';
import type { RecordingToStore } from '../orchestration/ports';
import { BlobRecordings } from './blob-recordings';

/**
 * The recordResponse download written through libs/recording-store (real HTTP, real Azurite; recording-compliance's
 * lease answers faked): stored with its metadata under a lease that holds, and nothing at all otherwise.
 */
describe('service-hosted recordings in Blob storage (Azurite)', () => {
  const azurite = azuriteForSpecFile();
  const message = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVE'), Buffer.alloc(1024 * 1024 + 17, 7)]);
  let server: Server;
  let baseUrl: string;
  let container: ContainerClient;
  let leaseHolds: boolean;
  const announced: RecordingMetadata[] = [];
  const leases: LeaseAuthority = {
    check: async () => {
      if (!leaseHolds) throw new LeaseRefused('GrantEnded', 'the grant is revoked');
    },
    revoke: async () => undefined,
    watchEnds: () => () => undefined,
  };

  beforeAll(async () => {
    // One connection per download, as each recording has its own URL at Graph (no idle keep-alive to race).
    server = createServer((req, res) => {
      if (req.headers.authorization !== 'Bearer graph-token') return void res.writeHead(401, { connection: 'close' }).end();
      if (req.url !== '/rec/1') return void res.writeHead(404, { connection: 'close' }).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream', connection: 'close' }).end(message);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(`rec${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`);
    leaseHolds = true;
    announced.length = 0;
  });

  const store = (overrides: Partial<RecordingToStore> = {}) => {
    const writer = new RecordingWriter({ container, leases, announcer: { announce: async (r) => void announced.push(r) }, recorder: 'signaling', retentionDays: () => 90 });
    const lease: Lease = { grantId: 'a4b1c2d3-0000-4000-8000-000000000001', callId: '4f1e0b00-1a2b-4c3d-8e9f-0123456789ab' };
    return new BlobRecordings(writer).store({
      ...lease,
      tenantId: 'tenant-1',
      location: `${baseUrl}/rec/1`,
      accessToken: 'graph-token',
      participants: [{ id: 'u1', displayName: 'Ada' }],
      startedAt: new Date('2026-01-01T10:00:00Z'),
      endedAt: new Date('2026-01-01T10:00:12Z'),
      ...overrides,
    });
  };
  const blobs = () => new RecordingCatalog(container).blobsOfCall('tenant-1', '4f1e0b00-1a2b-4c3d-8e9f-0123456789ab');

  it('stores the message as WAV with its call, grant, caller, times and sha256, and announces it', async () => {
    const stored = await store();
    expect(stored).toMatchObject({ bytes: message.length, contentType: 'audio/wav', sha256: createHash('sha256').update(message).digest('hex') });
    expect(stored.blobName).toMatch(/^tenant-1\/4f1e0b00-1a2b-4c3d-8e9f-0123456789ab\/[0-9a-f-]{36}\.wav$/);
    expect(await container.getBlockBlobClient(stored.blobName).downloadToBuffer()).toEqual(message);
    expect(announced).toEqual([
      expect.objectContaining({
        recordingId: stored.recordingId,
        grantId: 'a4b1c2d3-0000-4000-8000-000000000001',
        participants: [{ id: 'u1', displayName: 'Ada' }],
        startedAt: '2026-01-01T10:00:00.000Z',
        endedAt: '2026-01-01T10:00:12.000Z',
        durationMs: 12_000,
      }),
    ]);
  });

  it('writes nothing when the lease does not hold', async () => {
    leaseHolds = false;
    const refusal = await store().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(LeaseRefused);
    expect(refusal).toMatchObject({ code: 'GrantEnded' });
    expect(await blobs()).toEqual([]);
    expect(announced).toEqual([]);
  });

  it('writes nothing when Graph refuses the download, and says so', async () => {
    await expect(store({ location: `${baseUrl}/rec/unknown` })).rejects.toThrow('recording download answered 404');
    await expect(store({ accessToken: 'stale' })).rejects.toThrow('recording download answered 401');
    expect(await blobs()).toEqual([]);
  });
});
