import { BlobServiceClient } from '@azure/storage-blob';
import { waitUntil } from '@switchboard/dev-infra';
import { RecordingCatalog } from '@switchboard/recording-store';
import { auditOf, auditSteps } from './support/compliance-audit';
import { E2eHarness } from './support/harness';
import { MediaPod } from './support/media-pod';

/**
 * Compliance (policy-based) recording on the built platform: the emulator invites the recorder into a recorded
 * user's call, recording-compliance answers with app-hosted media, and once the call is up asks the media pod hosting
 * it to record the whole call under a grant; a second user under the policy joins (participantJoiningNotification,
 * answered in the webhook's response); the recording is committed after the hang-up, within the call-end grace.
 */
describe('policy-based recording, end to end', () => {
  let h: E2eHarness;
  let pod: MediaPod;
  let catalog: RecordingCatalog;

  beforeAll(async () => {
    h = await E2eHarness.start({
      services: ['recording-compliance'],
      signalingEnv: { MEDIA_POD_HOST: '127.0.0.1' },
      emulatorEnv: { EMULATOR_MEDIA_HOST: '127.0.0.1' },
    });
    pod = await MediaPod.start(h, 'media-0');
    catalog = new RecordingCatalog(BlobServiceClient.fromConnectionString(h.platform.blobConnectionString as string).getContainerClient('recordings'));
  }, 120_000);

  afterAll(async () => {
    await pod?.process.stop();
    await h?.stop();
  });

  it('records the whole call on the pod under a grant, takes a second user under the policy, and keeps the recording after the hang-up', async () => {
    const invited = await h.control<{ callId: string }>('POST', '/emulator/calls/compliance-invite', { observedUser: { id: 'u-recorded', displayName: 'Recorded User' }, policyId: 'tag:Bank' });
    const { callId } = invited;
    const placed = await h.waitForEvent(callId, 'media-placed');
    expect(placed.pod).toBe('media-0');
    await h.waitForEvent(callId, 'established');
    await waitUntil(async () => (await auditSteps(h, callId)).includes('granted'), 'the whole-call grant', 20_000, 100);
    expect((await auditOf(h, callId)).find((r) => r.action === 'grant-requested')?.actor).toBe('media:media-0');

    const joined = await h.control<{ outcome: string }>('POST', `/emulator/calls/${callId}/policy-join`, { observedUser: { id: 'u-second', displayName: 'Second User' } });
    expect(joined).toEqual({ outcome: 'accepted', participantId: expect.any(String) });
    const joining = await h.waitForEvent(callId, 'participant-joining');
    expect(joining).toMatchObject({ answer: 'accepted', user: { id: 'u-second' }, policyId: 'tag:Bank' });

    // A second of the call, then the recorded user hangs up.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await h.control('POST', `/emulator/calls/${callId}/hangup`);
    await waitUntil(async () => (await auditSteps(h, callId)).includes('recording-stored'), 'the committed recording', 20_000, 100);
    const [recording] = await catalog.list({ callId });
    expect(recording).toMatchObject({ callId, contentType: 'audio/wav' });
    expect(recording.durationMs).toBeGreaterThan(500);

    const steps = await auditSteps(h, callId);
    expect(steps.slice(0, 5)).toEqual(['invitation-answered', 'grant-requested', 'status-requested:recording', 'status-result:recording', 'granted']);
    expect(steps).toContain('participant-joining');
    expect(steps).not.toContain('revoked');
  });
});
