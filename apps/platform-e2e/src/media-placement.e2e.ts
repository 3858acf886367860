import { waitUntil } from '@switchboard/dev-infra';
import type { MediaHeartbeat } from '@switchboard/nats-contracts';
import { FixtureCopy } from './support/fixtures';
import { E2eHarness } from './support/harness';
import { MediaPod, answeredAppCall, callCommand, heartbeat as heartbeatOf, untilHeartbeat as untilHeartbeatOf } from './support/media-pod';

describe('app-hosted calls placed on media pods', () => {
  let fixtures: FixtureCopy;
  let h: E2eHarness;
  const pods: MediaPod[] = [];

  beforeAll(async () => {
    fixtures = new FixtureCopy('app-hosted');
    h = await E2eHarness.start({
      // The pods run on this machine: reach each at 127.0.0.1 on the port its heartbeat names.
      signalingEnv: { ROUTING_FILE: fixtures.path('routing.yaml'), MEDIA_POD_HOST: '127.0.0.1', MEDIA_POD_CHECK_INTERVAL_MS: '200' },
      // The emulator streams each placed call to its pod; a call whose stream breaks lives on long enough here for
      // signaling's pod watcher to end it (media-stream.e2e.ts covers the emulator ending it).
      emulatorEnv: { EMULATOR_MEDIA_HOST: '127.0.0.1', EMULATOR_MEDIA_FAILURE_GRACE_MS: '30000' },
    });
    pods.push(await MediaPod.start(h, 'media-0'), await MediaPod.start(h, 'media-1'));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(pods.map((p) => p.process.stop()));
    await h?.stop();
    fixtures?.remove();
  });

  const heartbeat = (pod: string) => heartbeatOf(h, pod);
  const untilHeartbeat = (pod: string, check: (hb: MediaHeartbeat) => boolean, what: string) => untilHeartbeatOf(h, pod, check, what);
  const command = (action: string, payload: Record<string, unknown>) => callCommand(h, action, payload);
  const answeredCall = (caller: string) => answeredAppCall(h, caller);

  async function firstPod(check: (pod: MediaPod) => Promise<boolean>): Promise<MediaPod> {
    for (const pod of pods) if (await check(pod)) return pod;
    throw new Error('no pod matches');
  }

  const activeCalls = async (pod: string) => (await heartbeat(pod))?.activeCalls ?? -1;

  it('spreads calls by load, answers each with its pod blob, and keeps the pod in the call record', async () => {
    const placed: string[] = [];
    for (let i = 0; i < 4; i++) {
      const before = { 'media-0': await activeCalls('media-0'), 'media-1': await activeCalls('media-1') };
      const { callId, pod } = await answeredCall(`spread-${i}`);
      placed.push(pod);
      const podsLoad = before[pod as 'media-0' | 'media-1'];
      await untilHeartbeat(pod, (hb) => hb.activeCalls === podsLoad + 1, 'the new call counted');

      const answer = (await h.graphRequests(callId)).find((r) => r.path.endsWith('/answer'));
      const mediaConfig = (answer?.body as { mediaConfig?: { '@odata.type'?: string; blob?: string } }).mediaConfig;
      expect(mediaConfig?.['@odata.type']).toBe('#microsoft.graph.appHostedMediaConfig');
      expect(JSON.parse(mediaConfig?.blob ?? '{}')).toMatchObject({ podName: pod, callId });
      expect(await h.callRecord(callId)).toMatchObject({ state: 'established', media: { pod, mediaCallId: callId } });
    }
    // Equal pods, one call at a time: the emptier one (ties by name) takes each call.
    expect(placed).toEqual(['media-0', 'media-1', 'media-0', 'media-1']);
    // The emulator streams every placed call to its pod.
    for (const pod of pods) await waitUntil(async () => (await pod.liveStreams()) === 2, `${pod.name} streams its two calls`, 10_000, 50);
  });

  it('answers a repeated answer command with a refusal and never places a call twice', async () => {
    const { callId, pod } = await answeredCall('repeat-0');
    const again = await command('answer', { callId });
    expect(again).toMatchObject({ ok: false, status: 409 });
    const placements = h.events.filter((e) => e.callId === callId && e.type === 'media-placed');
    expect(placements).toHaveLength(1);
    expect((await h.graphRequests(callId)).filter((r) => r.path.endsWith('/answer'))).toHaveLength(1);
    expect(await h.callRecord(callId)).toMatchObject({ media: { pod } });
  });

  it('places a call a flow answers (routing rule with app-hosted media) on a pod', async () => {
    const callId = await h.incomingCall({ caller: { id: 'flow-caller-1' } });
    const placed = await h.waitForEvent(callId, 'media-placed');
    await h.waitForEvent(callId, 'established');
    expect(['media-0', 'media-1']).toContain(placed.pod);
    expect(await h.callRecord(callId)).toMatchObject({ handler: { kind: 'flow', flowId: 'hold', media: 'appHosted' }, media: { pod: placed.pod } });
  });

  it('gives a draining pod no new call, even when it is the less loaded one', async () => {
    const [m0, m1] = [await activeCalls('media-0'), await activeCalls('media-1')];
    const lighter = m0 <= m1 ? pods[0] : pods[1];
    const other = lighter === pods[0] ? pods[1] : pods[0];
    const drained = await fetch(`${lighter.httpUrl}/drain`, { method: 'POST' });
    expect(drained.status).toBe(202);
    await untilHeartbeat(lighter.name, (hb) => hb.draining, 'draining');

    const first = await answeredCall('drain-0');
    const second = await answeredCall('drain-1');
    expect([first.pod, second.pod]).toEqual([other.name, other.name]);
  });

  it('ends the calls of a killed pod with media-lost and a hang-up, and leaves the other pod’s calls alone', async () => {
    // The pod that is not draining (the other one stays, draining, for the next test).
    const victim = await firstPod(async (p) => !(await heartbeat(p.name))?.draining);
    const onVictim = h.events.filter((e) => e.type === 'media-placed' && e.pod === victim.name).map((e) => e.callId);
    const elsewhere = h.events.filter((e) => e.type === 'media-placed' && e.pod !== victim.name).map((e) => e.callId);
    expect(onVictim.length).toBeGreaterThan(0);

    victim.process.child.kill('SIGKILL');
    for (const callId of onVictim) {
      const lost = await h.waitForEvent(callId, 'media-lost', 15_000);
      expect(lost).toMatchObject({ pod: victim.name, reason: expect.stringMatching(/no heartbeat from the pod/) });
      await h.waitForEvent(callId, 'terminated');
      expect((await h.graphActions(callId)).filter((a) => a === 'DELETE')).toHaveLength(1);
    }
    for (const callId of elsewhere) {
      expect(h.events.some((e) => e.callId === callId && e.type === 'media-lost')).toBe(false);
    }
  });

  it('refuses a call when no pod can take it: call-failed with the reason, and Graph’s reject', async () => {
    // One pod is draining and the other is dead by now.
    const flowCall = await h.incomingCall({ caller: { id: 'flow-caller-2' } });
    const failed = await h.waitForEvent(flowCall, 'call-failed');
    expect(failed.reason).toMatch(/no media pod can take the call \(.*media-\d draining/);
    await h.waitForActions(flowCall, ['reject']);
    expect(h.events.some((e) => e.callId === flowCall && e.type === 'media-placed')).toBe(false);

    const appCall = await h.incomingCall({ caller: { id: 'refused-0' } });
    await h.waitForEvent(appCall, 'incoming');
    const reply = await command('answer', { callId: appCall });
    expect(reply).toMatchObject({ ok: false, status: 503, code: 'NoMediaPodAvailable' });
    expect(await h.graphActions(appCall)).not.toContain('answer');
    expect(await h.callRecord(appCall)).toMatchObject({ state: 'incoming' });
  });
});
