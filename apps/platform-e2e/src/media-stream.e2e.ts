import { waitUntil } from '@switchboard/dev-infra';
import { FixtureCopy } from './support/fixtures';
import { E2eHarness } from './support/harness';
import { MediaPod, answeredAppCall } from './support/media-pod';

interface EmulatorMediaView {
  state: string;
  pod: string;
  mediaCallId: string;
  framesSent: number;
  endedReason: string | null;
}

interface EmulatorCallSnapshot {
  state: string;
  resultInfo: { code: number; subcode: number } | null;
}

describe('app-hosted calls stream between the emulator (the media platform) and their media pod', () => {
  let fixtures: FixtureCopy;
  let h: E2eHarness;
  let pod: MediaPod;

  beforeAll(async () => {
    fixtures = new FixtureCopy('app-hosted');
    h = await E2eHarness.start({
      signalingEnv: { ROUTING_FILE: fixtures.path('routing.yaml'), MEDIA_POD_HOST: '127.0.0.1', MEDIA_POD_CHECK_INTERVAL_MS: '200' },
      emulatorEnv: { EMULATOR_MEDIA_HOST: '127.0.0.1', EMULATOR_MEDIA_FAILURE_GRACE_MS: '300' },
    });
    // A heartbeat so slow that signaling's pod watcher would take a minute to miss the pod: when it dies, the
    // call can only end through its broken stream.
    pod = await MediaPod.start(h, 'media-0', { heartbeatMs: 20_000 });
  }, 120_000);

  afterAll(async () => {
    await pod?.process.stop();
    await h?.stop();
    fixtures?.remove();
  });

  const mediaOf = (callId: string) => h.control<EmulatorMediaView>('GET', `/emulator/calls/${callId}/media`);
  const snapshotOf = (callId: string) => h.control<EmulatorCallSnapshot>('GET', `/emulator/calls/${callId}`);
  const audioFrames = () => pod.metric('media_frames_received_total', 'kind="audio"');

  it('opens the placed call’s StreamCall on its pod, streams audio into it, and closes it when the caller hangs up', async () => {
    const framesBefore = await audioFrames();
    const { callId, pod: placedOn } = await answeredAppCall(h, 'stream-0', [{ press: '12' }, { speak: 500 }]);
    expect(placedOn).toBe('media-0');

    await waitUntil(async () => (await pod.liveStreams()) === 1, 'the pod streams the call', 10_000, 50);
    await waitUntil(async () => (await audioFrames()) - framesBefore >= 50, 'a second of audio at the pod', 10_000, 50);
    expect(await mediaOf(callId)).toMatchObject({ state: 'open', pod: 'media-0', mediaCallId: callId });

    await h.control('POST', `/emulator/calls/${callId}/hangup`);
    await h.waitForEvent(callId, 'terminated');
    await waitUntil(async () => (await pod.liveStreams()) === 0, 'the pod’s stream ends with the call', 10_000, 50);
    expect(await pod.metric('media_call_streams_total', 'outcome="completed"')).toBe(1);
    const media = await mediaOf(callId);
    expect(media).toMatchObject({ state: 'ended', endedReason: 'the call ended' });
    expect(media.framesSent).toBeGreaterThanOrEqual(50);
  });

  it('ends the call with a media failure when its StreamCall breaks (the pod dies)', async () => {
    const { callId } = await answeredAppCall(h, 'stream-1');
    await waitUntil(async () => (await pod.liveStreams()) === 1, 'the pod streams the call', 10_000, 50);

    pod.process.child.kill('SIGKILL');
    await h.waitForEvent(callId, 'terminated', 15_000);
    expect(await snapshotOf(callId)).toMatchObject({ state: 'terminated', resultInfo: { code: 410, subcode: 301005 } });
    expect(await mediaOf(callId)).toMatchObject({ state: 'failed', endedReason: expect.stringMatching(/StreamCall to 127\.0\.0\.1:\d+ ended/) });
    // The call ended through its stream, long before the pod's missing heartbeat could have ended it.
    expect(h.events.some((e) => e.callId === callId && e.type === 'media-lost')).toBe(false);
  });
});
