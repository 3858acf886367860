import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import type { Subscription } from 'nats';
import { waitUntil } from '@switchboard/dev-infra';
import { complianceNames, complianceReplySchema, mediaCommandReplySchemas, mediaEventSchemas, type ComplianceEvent, type MediaEventOf } from '@switchboard/nats-contracts';
import { RecordingCatalog } from '@switchboard/recording-store';
import { FixtureCopy } from './support/fixtures';
import { E2eHarness } from './support/harness';
import { MediaPod, answeredAppCall } from './support/media-pod';

type RecordCompleted = MediaEventOf<'record-completed'>;

/**
 * The record verb on an app-hosted call, with the real parts: the emulator streams the caller's voice to the built
 * media pod, which asks the built recording-compliance for the grant (signaling sends updateRecordingStatus to the
 * emulator) and writes the message through the recordings writer to Azurite.
 */
describe('a media pod records a message only under a recording grant', () => {
  let fixtures: FixtureCopy;
  let h: E2eHarness;
  let pod: MediaPod;
  let container: ContainerClient;
  let catalog: RecordingCatalog;
  let complianceEvents: Subscription;
  const granted: ComplianceEvent[] = [];
  const compliance = () => complianceNames(h.names.namespace);

  beforeAll(async () => {
    fixtures = new FixtureCopy('app-hosted');
    h = await E2eHarness.start({
      services: ['recording-compliance'],
      signalingEnv: { ROUTING_FILE: fixtures.path('routing.yaml'), MEDIA_POD_HOST: '127.0.0.1' },
      emulatorEnv: { EMULATOR_MEDIA_HOST: '127.0.0.1' },
    });
    pod = await MediaPod.start(h, 'media-0');
    container = BlobServiceClient.fromConnectionString(h.platform.blobConnectionString as string).getContainerClient('recordings');
    catalog = new RecordingCatalog(container);
    complianceEvents = h.nc.subscribe(compliance().eventSubject('granted'), { callback: (_e, m) => granted.push(m.json<ComplianceEvent>()) });
  }, 120_000);

  afterAll(async () => {
    complianceEvents?.unsubscribe();
    await pod?.process.stop();
    await h?.stop();
    fixtures?.remove();
  });

  afterEach(() => h.control('PUT', '/emulator/recording-status', { delayMs: 0 }));

  /** Sends `record` to the call's pod once its session answers there; resolves with its record-completed event. */
  async function record(callId: string, command: Record<string, unknown>): Promise<RecordCompleted> {
    const locate = () => h.nc.request(h.names.mediaCommandSubject(callId, 'locate'), '{}', { timeout: 1000 }).then(() => true, () => false);
    await waitUntil(locate, 'the call’s media session on the pod', 10_000, 50);
    const sub = h.nc.subscribe(h.names.mediaEventSubject(callId, 'record-completed'), { max: 1 });
    const reply = await h.nc.request(h.names.mediaCommandSubject(callId, 'record'), JSON.stringify(command), { timeout: 10_000 });
    expect(mediaCommandReplySchemas.record.parse(reply.json())).toEqual({ ok: true, id: command['id'] });
    for await (const m of sub) return mediaEventSchemas['record-completed'].parse(m.json());
    throw new Error('no record-completed event');
  }
  const blobsOf = async (callId: string) => {
    const names: string[] = [];
    if (!(await container.exists())) return names;
    for await (const blob of container.listBlobsFlat()) if (blob.name.includes(callId)) names.push(blob.name);
    return names;
  };

  it('granted: the message lands as a WAV with its metadata, stopped by silence after speech, and the grant is stopped', async () => {
    const { callId } = await answeredAppCall(h, 'caller-rec-1', [{ wait: 2000 }, { speak: 1500 }, { silence: 20_000 }]);
    const done = await record(callId, { id: 'msg-1', maxDurationSeconds: 30, maxSilenceSeconds: 1 });

    expect(done).toMatchObject({ callId, id: 'msg-1', reason: 'silence', recording: { container: 'recordings' } });
    const stored = done.recording!;
    const [metadata] = await catalog.list({ callId });
    expect(metadata).toMatchObject({ recordingId: stored.recordingId, callId, blobName: stored.blobName, contentType: 'audio/wav', bytes: stored.bytes, sha256: stored.sha256 });
    expect(metadata.durationMs).toBe(stored.durationMs);
    // What is left of the 2 s before the voice once the grant is active, 1.5 s of it, the hangover and 1 s of silence.
    expect(stored.durationMs).toBeGreaterThan(2500);
    expect(stored.durationMs).toBeLessThan(6000);
    const content = await container.getBlockBlobClient(stored.blobName).downloadToBuffer();
    expect(createHash('sha256').update(content).digest('hex')).toBe(stored.sha256);
    // A 16 kHz mono 16-bit WAV (written as a stream: a 44-byte header, then the frames).
    expect([content.toString('latin1', 0, 4), content.toString('latin1', 8, 16)]).toEqual(['RIFF', 'WAVEfmt ']);
    expect([content.readUInt16LE(22), content.readUInt32LE(24), content.readUInt16LE(34)]).toEqual([1, 16000, 16]);
    expect(content.length - 44).toBe((stored.durationMs / 1000) * 16000 * 2);
    // The grant was given back after the commit: compliance sent notRecording after recording.
    const statuses = (await h.graphRequests(callId)).filter((r) => r.path.endsWith('/updateRecordingStatus')).map((r) => (r.body as { status: string }).status);
    expect(statuses).toEqual(['recording', 'notRecording']);
    const audit = complianceReplySchema.parse((await h.nc.request(compliance().commandSubject('audit'), JSON.stringify({ callId }), { timeout: 10_000 })).json());
    const actions = audit.ok ? (audit.result as { action: string; actor: string }[]) : [];
    const storedAt = actions.findIndex((a) => a.action === 'recording-stored');
    expect(actions[storedAt]).toMatchObject({ actor: 'media:media-0' });
    expect(storedAt).toBeLessThan(actions.findIndex((a) => a.action === 'stopped'));
  });

  it('refused: Graph fails the recording status, so nothing reaches storage and the outcome is not-granted', async () => {
    await h.control('PUT', '/emulator/recording-status', { fail: { code: 500 }, count: 1 });
    const { callId } = await answeredAppCall(h, 'caller-rec-2', [{ speak: 2000 }, { silence: 20_000 }]);
    const done = await record(callId, { id: 'msg-2', maxDurationSeconds: 5 });
    expect(done).toMatchObject({ reason: 'not-granted', error: expect.any(String) });
    expect(done.recording).toBeUndefined();
    expect(await blobsOf(callId)).toEqual([]);
  });

  it('the caller hangs up mid-way: call-ended, with what was recorded under the grant, if the grant still held', async () => {
    const { callId } = await answeredAppCall(h, 'caller-rec-4', [{ speak: 20_000 }]);
    const completed = record(callId, { id: 'msg-4', maxDurationSeconds: 30 });
    await waitUntil(() => granted.some((e) => 'grant' in e && e.grant.callId === callId), 'the grant of the recording', 10_000, 50);
    await new Promise((r) => setTimeout(r, 1500));
    await h.control('POST', `/emulator/calls/${callId}/hangup`);
    const done = await completed;
    // Kept when the pod committed before compliance revoked the grant for the call's end; then it is in storage.
    expect(done.reason).toBe('call-ended');
    expect((await catalog.list({ callId })).map((r) => r.recordingId)).toEqual(done.recording ? [done.recording.recordingId] : []);
    if (!done.recording) expect(await blobsOf(callId)).toEqual([]);
  });

  it('revoked mid-way: nothing is committed and the outcome is failed', async () => {
    const { callId } = await answeredAppCall(h, 'caller-rec-3', [{ speak: 20_000 }]);
    const completed = record(callId, { id: 'msg-3', maxDurationSeconds: 30 });
    const grantOf = () => granted.map((e) => ('grant' in e ? e.grant : undefined)).find((g) => g?.callId === callId);
    await waitUntil(() => grantOf() !== undefined, 'the grant of the recording', 10_000, 50);
    const grant = grantOf()!;
    // Let frames flow for a while under the grant, then compliance revokes it.
    await new Promise((r) => setTimeout(r, 1500));
    const reply = await h.nc.request(compliance().commandSubject('revoke'), JSON.stringify({ grantId: grant.grantId, callId, reason: 'storage check failed (test)' }), { timeout: 10_000 });
    expect(complianceReplySchema.parse(reply.json()).ok).toBe(true);
    const done = await completed;
    expect(done).toMatchObject({ reason: 'failed', error: 'the recording grant was revoked' });
    expect(done.recording).toBeUndefined();
    expect(await blobsOf(callId)).toEqual([]);
    expect(await catalog.list({ callId })).toEqual([]);
  });
});
