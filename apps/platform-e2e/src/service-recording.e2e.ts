import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { waitUntil } from '@switchboard/dev-infra';
import { auditOf, auditSteps, GRANTED_RECORDING_STEPS } from './support/compliance-audit';
import type { E2eHarness } from './support/harness';
import { useIvrPlatform } from './support/ivr-platform';

/**
 * A flow's service-hosted `record` (fixtures/ivr/flows/main-menu.yaml, key 2) under the recording-compliance
 * protocol, on the real platform: the emulator as Graph, signaling as the recorder, recording-compliance granting,
 * Azurite as Blob storage. recordResponse is sent only after Graph accepted `recording`; nothing reaches storage
 * before; a refused status records and stores nothing.
 */
describe('service-hosted recordings under a grant, end to end', () => {
  let h: E2eHarness;
  let container: ContainerClient;
  useIvrPlatform({}, (harness) => {
    h = harness;
    container = BlobServiceClient.fromConnectionString(h.platform.blobConnectionString as string).getContainerClient('recordings');
  });
  afterEach(() => h.control('PUT', '/emulator/recording-status', { delayMs: 0 }));

  const steps = (callId: string) => auditSteps(h, callId);
  const statuses = async (callId: string) =>
    (await h.graphRequests(callId)).filter((r) => r.path.endsWith('/updateRecordingStatus')).map((r) => (r.body as { status: string }).status);
  const blobsOf = async (callId: string): Promise<string[]> => {
    const names: string[] = [];
    if (!(await container.exists())) return names;
    for await (const blob of container.listBlobsFlat()) if (blob.name.includes(callId)) names.push(blob.name);
    return names;
  };
  /** A caller who chooses to leave a message (2), and stays quiet until told to speak. */
  const messageCall = async (): Promise<string> => {
    const callId = await h.incomingCall({ caller: { displayName: 'Grace Hopper' }, script: [{ wait: 10 }] });
    await h.waitForRequests(callId, (rs) => rs.some((r) => r.path.endsWith('/playPrompt') && JSON.stringify(r.body).includes('menu.wav')), 'the menu');
    await h.control('POST', `/emulator/calls/${callId}/tones`, { tones: '2' });
    return callId;
  };

  it('with the status delayed, sends no recordResponse and stores no byte until Graph accepted it; notRecording follows the write', async () => {
    await h.control('PUT', '/emulator/recording-status', { delayMs: 3000, count: 1 });
    const callId = await messageCall();
    await h.waitForRequests(callId, (rs) => rs.some((r) => r.path.endsWith('/updateRecordingStatus')), 'the recording status');
    // Graph has not answered yet: the grant is pending, nothing is recorded or stored.
    expect(await h.graphActions(callId)).not.toContain('recordResponse');
    expect(await steps(callId)).not.toContain('granted');
    expect(await blobsOf(callId)).toEqual([]);

    await h.waitForRequests(callId, (rs) => rs.some((r) => r.path.endsWith('/recordResponse')), 'recordResponse');
    expect(await steps(callId)).toContain('granted');
    await h.control('POST', `/emulator/calls/${callId}/script`, { script: [{ speak: 1000 }, { silence: 2000 }] });
    const stored = await h.waitForEvent(callId, 'recording-stored');
    expect(await blobsOf(callId)).toEqual(expect.arrayContaining([stored.blobName]));
    await waitUntil(async () => (await steps(callId)).includes('status-result:notRecording'), 'the notRecording outcome', 20_000, 100);
    expect(await statuses(callId)).toEqual(['recording', 'notRecording']);
    expect(await steps(callId)).toEqual(GRANTED_RECORDING_STEPS);
    const record = (await auditOf(h, callId)).find((r) => r.action === 'recording-stored');
    expect(record).toMatchObject({ actor: 'signaling', grantId: stored.grantId, recording: { blobName: stored.blobName, sha256: stored.sha256 } });
  });

  it('with the status refused, records and stores nothing, reports failed, and the flow takes its failure branch', async () => {
    await h.control('PUT', '/emulator/recording-status', { fail: { code: 403, subcode: 0 }, count: 1 });
    const callId = await messageCall();
    await waitUntil(async () => (await statuses(callId)).length === 2, 'failed at Graph', 20_000, 100);
    expect(await statuses(callId)).toEqual(['recording', 'failed']);
    // The flow's record step failed: goodbye, hang up, and never a recordResponse.
    const actions = await h.waitForActions(callId, ['DELETE']);
    expect(actions).not.toContain('recordResponse');
    expect((await h.promptRequests(callId)).map((p) => p.prompts).at(-1)).toEqual(['goodbye.wav']);
    expect(await blobsOf(callId)).toEqual([]);
    expect(await steps(callId)).toEqual(expect.arrayContaining(['grant-requested', 'status-result:recording', 'revoked', 'status-requested:failed']));
    expect(await steps(callId)).not.toContain('granted');
  });
});
