import { BotFixture, SERVICE_HOSTED, call, ringBot, snapshotOf, useBotFixture } from '../../test/harness';
import { RecordingPod } from '../../test/recording-pod';

const appHosted = (blob: string) => ({ '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob });

async function waitUntil<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface MediaView {
  state: string;
  mediaCallId: string;
  pod: string;
  framesSent: number;
  framesReceived: number;
  heardSeconds: number;
  segments: { startMs: number; endMs: number }[];
  prompts: { promptId: string; startMs: number; endMs: number; frames: number; heardMs: number }[];
  endedReason: string | null;
}
const mediaOf = async (f: BotFixture, callId: string) => (await call(f.emulator, 'GET', `/emulator/calls/${callId}/media`)).json as MediaView;

async function answerAppHosted(f: BotFixture, pod: RecordingPod, script?: unknown[], settings?: Record<string, unknown>): Promise<{ callId: string; mediaCallId: string }> {
  const callId = await ringBot(f, {}, script);
  const mediaCallId = `media-${callId}`;
  const res = await f.graph('POST', `/${callId}/answer`, { callbackUri: f.bot.url, acceptedModalities: ['audio'], mediaConfig: appHosted(pod.blob(mediaCallId, settings)) });
  expect(res.status).toBe(202);
  return { callId, mediaCallId };
}

const terminatedOf = (f: BotFixture, callId: string) =>
  f.bot.waitFor('terminated', () => f.bot.forCall(callId).find((n) => n.resourceData.state === 'terminated'), 10_000);

describe('the emulator as the media platform of app-hosted calls', () => {
  const pod = new RecordingPod();
  const f = useBotFixture('all', { media: { failureGraceMs: 0 } });
  beforeAll(() => pod.start());
  afterAll(() => pod.stop());
  beforeEach(() => {
    pod.promptFrames = 0;
  });

  it('refuses an answer whose blob it cannot use with a 400 naming it, and the call stays incoming', async () => {
    const callId = await ringBot(f);
    for (const blob of ['not json', JSON.stringify({ podName: 'p', streamTarget: 'nowhere', callId: 'c', settings: {} }), JSON.stringify({ podName: 'p', streamTarget: 'h:1', callId: 'a b', settings: {} })]) {
      const res = await f.graph('POST', `/${callId}/answer`, { callbackUri: f.bot.url, acceptedModalities: ['audio'], mediaConfig: appHosted(blob) });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.json)).toMatch(/mediaConfig\.blob/);
    }
    expect(await snapshotOf(f, callId)).toMatchObject({ state: 'incoming' });
  });

  it('refuses a create whose blob it cannot use, and creates no call', async () => {
    const before = ((await call(f.emulator, 'GET', '/emulator/calls')).json as { value: unknown[] }).value.length;
    const res = await f.graph('POST', '', {
      callbackUri: f.bot.url,
      targets: [{ identity: { user: { id: 'someone' } } }],
      requestedModalities: ['audio'],
      mediaConfig: appHosted('{"podName": 1}'),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toMatch(/mediaConfig\.blob: podName/);
    expect(((await call(f.emulator, 'GET', '/emulator/calls')).json as { value: unknown[] }).value).toHaveLength(before);
  });

  it('opens StreamCall with the blob’s call id, streams 640-byte frames in timestamp order, and keys pressed are DTMF the receiver hears', async () => {
    const { callId, mediaCallId } = await answerAppHosted(f, pod, [{ press: '1#' }, { silence: 1000 }, { speak: 300 }, { hangup: true }]);
    await terminatedOf(f, callId);
    const podCall = await waitUntil('the pod to see the stream end', () => pod.calls.get(mediaCallId)?.ended && pod.calls.get(mediaCallId));

    expect(podCall.open).toMatchObject({ callId: mediaCallId, settings: { audioFormat: 1 } });
    expect(podCall.ended).toBe('end');
    expect(podCall.audio.length).toBeGreaterThan(10);
    for (const [i, frame] of podCall.audio.entries()) {
      expect(frame.data.length === 640 || frame.unmixedBuffers.length > 0).toBe(true);
      if (i > 0) expect(frame.timestampTicks).toBeGreaterThan(podCall.audio[i - 1]!.timestampTicks);
    }
    // Timestamps advance one frame (200 000 ticks = 20 ms) at a time unless a stalled machine skipped frames.
    const steps = podCall.audio.slice(1).map((frame, i) => frame.timestampTicks - podCall.audio[i]!.timestampTicks);
    expect(steps.every((s) => s % 200_000n === 0n)).toBe(true);
    expect(podCall.keys).toEqual(['1', '#']);

    const speaking = podCall.audio.filter((a) => a.activeSpeakerMsis.length > 0 && !a.isSilence);
    expect(speaking.length).toBeGreaterThan(0);
    expect(podCall.audio.some((a) => a.isSilence && a.activeSpeakerMsis.length === 0)).toBe(true);

    const media = await mediaOf(f, callId);
    expect(media).toMatchObject({ state: 'ended', mediaCallId, pod: 'test-pod', endedReason: 'the call ended' });
    expect(media.framesSent).toBeGreaterThanOrEqual(podCall.audio.length);
  });

  it('keeps what the bot sent: frames, the sound segments and the prompt they belong to', async () => {
    pod.promptFrames = 25;
    const { callId, mediaCallId } = await answerAppHosted(f, pod);
    const media = await waitUntil('the prompt frames', async () => {
      const m = await mediaOf(f, callId);
      return m.framesReceived === 25 && m;
    });
    expect(media.heardSeconds).toBeCloseTo(0.5);
    expect(media.prompts).toEqual([expect.objectContaining({ promptId: 'menu', frames: 25, heardMs: 500 })]);
    // Where the frames sit on the playout timeline depends on when they arrived; at least their own length.
    expect(media.prompts[0]!.endMs - media.prompts[0]!.startMs).toBeGreaterThanOrEqual(500);
    expect(media.segments.length).toBeGreaterThan(0);
    expect(media.segments[0]!.startMs).toBe(media.prompts[0]!.startMs);
    expect(media.segments.at(-1)!.endMs).toBe(media.prompts[0]!.endMs);
    // The bot hangs up: the stream is half-closed, as when the caller does.
    await f.graph('DELETE', `/${callId}`);
    await terminatedOf(f, callId);
    expect(await waitUntil('the pod to see the stream end', () => pod.calls.get(mediaCallId)?.ended)).toBe('end');
  });

  it('ends the call with 410/301005 when the stream fails mid-call', async () => {
    const { callId, mediaCallId } = await answerAppHosted(f, pod);
    await waitUntil('frames', () => (pod.calls.get(mediaCallId)?.audio.length ?? 0) > 2);
    pod.fail(mediaCallId);
    const end = await terminatedOf(f, callId);
    expect(end.resourceData['resultInfo']).toMatchObject({ code: 410, subcode: 301005 });
    expect(await mediaOf(f, callId)).toMatchObject({ state: 'failed', endedReason: expect.stringMatching(/pod going away/) });
  });

  it('ends the call with 500/1005 when the pod cannot be reached', async () => {
    const callId = await ringBot(f);
    const blob = JSON.stringify({ podName: 'gone', streamTarget: '127.0.0.1:1', callId: 'gone-1', settings: { audioFormat: 1 } });
    await f.graph('POST', `/${callId}/answer`, { callbackUri: f.bot.url, acceptedModalities: ['audio'], mediaConfig: appHosted(blob) });
    const end = await terminatedOf(f, callId);
    expect(end.resourceData['resultInfo']).toMatchObject({ code: 500, subcode: 1005 });
  });

  it('streams a meeting’s speakers as unmixed buffers with their MSIs and reports dominant speaker changes', async () => {
    const mediaCallId = 'meeting-media-1';
    const res = await f.graph('POST', '', {
      callbackUri: f.bot.url,
      requestedModalities: ['audio'],
      targets: [{ identity: { user: { id: 'alice' } } }, { identity: { user: { id: 'bob' } } }],
      mediaConfig: appHosted(pod.blob(mediaCallId, { audioFormat: 1, receiveUnmixedAudio: true })),
    });
    expect(res.status).toBe(201);
    const callId = (res.json as { id: string }).id;
    const podCall = await waitUntil('two dominant speakers', () => {
      const c = pod.calls.get(mediaCallId);
      return c && new Set(c.dominantSpeakers).size >= 2 && c;
    }, 15_000);
    const roster = (await f.graph('GET', `/${callId}/participants`)).json as { value: { mediaStreams: { sourceId: string }[]; info: { identity: { application?: unknown } } }[] };
    const peopleMsis = roster.value.filter((p) => !p.info.identity.application).map((p) => Number(p.mediaStreams[0]!.sourceId));
    expect(peopleMsis).toHaveLength(2);
    const unmixed = podCall.audio.filter((a) => a.unmixedBuffers.length > 0);
    expect(unmixed.length).toBeGreaterThan(0);
    for (const frame of unmixed) {
      expect(frame.data.length).toBe(0);
      for (const b of frame.unmixedBuffers) {
        expect(b.data.length).toBe(640);
        expect(peopleMsis).toContain(b.speakerMsi);
      }
    }
    expect(new Set(podCall.dominantSpeakers)).toEqual(new Set(peopleMsis));
    await f.graph('DELETE', `/${callId}`);
    await terminatedOf(f, callId);
  }, 30_000);

  it('sends a small NV12 frame now and then for the camera of a caller the bot subscribed to', async () => {
    const res = await call(f.emulator, 'POST', '/emulator/calls/incoming', { body: { camera: true } });
    const { callId } = res.json as { callId: string };
    await f.bot.waitFor('created', () => f.bot.forCall(callId).length >= 1);
    const roster = (await f.graph('GET', `/${callId}/participants`)).json as { value: { mediaStreams: { sourceId: string }[]; info: { identity: { application?: unknown } } }[] };
    const callerMsi = Number(roster.value.find((p) => !p.info.identity.application)!.mediaStreams[0]!.sourceId);
    const settings = { audioFormat: 1, videoSubscriptions: [{ msi: callerMsi, format: 'VIDEO_FORMAT_NV12', maxWidth: 1280, maxHeight: 720 }] };
    await f.graph('POST', `/${callId}/answer`, { callbackUri: f.bot.url, acceptedModalities: ['audio', 'video'], mediaConfig: appHosted(pod.blob('camera-1', settings)) });
    const podCall = await waitUntil('two video frames', () => (pod.calls.get('camera-1')?.video.length ?? 0) >= 2 && pod.calls.get('camera-1'));
    const [first, second] = podCall.video;
    expect(first).toMatchObject({ msi: callerMsi, format: 1, width: 160, height: 90 });
    expect(first!.data.length).toBe((160 * 90 * 3) / 2);
    expect(second!.timestampTicks).toBeGreaterThan(first!.timestampTicks);
    expect(second!.data.equals(first!.data)).toBe(false);
    // Audio goes on at 50 frames a second beside the video (a frame of video per ten of audio).
    expect(podCall.audio.length).toBeGreaterThanOrEqual(10);
    await f.graph('DELETE', `/${callId}`);
    await terminatedOf(f, callId);
  });

  it('answers 404 for the media of a service-hosted call', async () => {
    const callId = await ringBot(f);
    await f.graph('POST', `/${callId}/answer`, { callbackUri: f.bot.url, acceptedModalities: ['audio'], mediaConfig: SERVICE_HOSTED });
    expect((await call(f.emulator, 'GET', `/emulator/calls/${callId}/media`)).status).toBe(404);
  });
});
