import { waitUntil } from '@switchboard/dev-infra';
import { CallControlClient } from './support/call-control-client';
import { FixtureCopy } from './support/fixtures';
import { E2eHarness } from './support/harness';
import { MediaPod } from './support/media-pod';
import { PromptServer, toneWav } from './support/prompt-server';

/** What the emulator, as the media platform, kept of what the bot sent into the call. */
interface HeardPrompt {
  promptId: string;
  frames: number;
  heardMs: number;
}
interface CallMediaView {
  state: string;
  prompts: HeardPrompt[];
}

const AGENT_ID = '2a1b6f6e-0000-4000-8000-000000000002';
const CALLEE_ID = '2a1b6f6e-0000-4000-8000-000000000003';
const WELCOME_MS = 600;
const MENU_MS = 4000;
/** Graph's service-hosted media requests: none may be sent for a call whose media is on a pod. */
const GRAPH_MEDIA_REQUESTS = ['playPrompt', 'subscribeToTone', 'cancelMediaProcessing', 'recordResponse'];

describe('the front-desk flow on an app-hosted call (a media pod plays, hears keys, records)', () => {
  let prompts: PromptServer;
  let fixtures: FixtureCopy;
  let h: E2eHarness;
  let pod: MediaPod;

  beforeAll(async () => {
    prompts = await PromptServer.start({
      'welcome.wav': toneWav(WELCOME_MS, 440),
      'menu.wav': toneWav(MENU_MS, 660),
      'after-the-beep.wav': toneWav(400, 550),
      'thanks.wav': toneWav(400, 770),
      'goodbye.wav': toneWav(400, 330),
      'sorry-no-input.wav': toneWav(300, 500),
      'sorry-invalid.wav': toneWav(300, 520),
    });
    fixtures = new FixtureCopy('app-hosted-flow', { __PROMPTS_URL__: prompts.url });
    h = await E2eHarness.start({
      services: ['recording-compliance'],
      signalingEnv: { ROUTING_FILE: fixtures.path('routing.yaml'), MEDIA_POD_HOST: '127.0.0.1' },
      emulatorEnv: { EMULATOR_MEDIA_HOST: '127.0.0.1' },
    });
    pod = await MediaPod.start(h, 'media-0');
  }, 120_000);

  afterAll(async () => {
    await pod?.process.stop();
    await h?.stop();
    await prompts?.stop();
    fixtures?.remove();
  });

  const mediaOf = (callId: string) => h.control<CallMediaView>('GET', `/emulator/calls/${callId}/media`);
  /**
   * The prompts of a flow step the caller heard: a play's last prompt carries the flow's clientContext (`<step>:<n>`),
   * one before it (an apology ahead of the menu) or a recording's prompt `<clientContext>@<part>`.
   */
  const heard = (view: CallMediaView, step: string) => view.prompts.filter((p) => p.promptId.startsWith(`${step}:`) && !p.promptId.includes('@'));

  /** Waits until the caller has heard the menu for a while, then presses `key` (DTMF in the caller's audio). */
  async function pressDuringMenu(callId: string, key: string): Promise<void> {
    await waitUntil(async () => (heard(await mediaOf(callId), 'menu')[0]?.frames ?? 0) >= 25, 'half a second of the menu heard', 20_000, 50);
    await h.control('POST', `/emulator/calls/${callId}/tones`, { tones: key });
  }

  async function graphMediaRequests(callId: string): Promise<string[]> {
    return (await h.graphActions(callId)).filter((a) => GRAPH_MEDIA_REQUESTS.includes(a));
  }

  it('plays the welcome and the menu as frames, acts on a key pressed as DTMF audio, and the key cuts the menu short', async () => {
    await h.control('PUT', `/emulator/callees/${AGENT_ID}`, { behaviour: 'answer', ringMs: 100 });
    const callId = await h.incomingCall({ caller: { id: 'desk-caller-1' } });
    expect(await h.waitForEvent(callId, 'media-placed')).toMatchObject({ pod: 'media-0' });

    await pressDuringMenu(callId, '1');
    // Graph sends no toneInfo for an app-hosted call: the key is the pod's detection in the caller's audio.
    const tone = await h.waitForEvent(callId, 'tone');
    expect(tone).toMatchObject({ digit: '1', tone: 'tone1' });
    expect((await h.waitForFlowEvent(callId, 'digits-collected')).data).toMatchObject({ digits: '1', step: 'menu', flowId: 'front-desk' });
    const terminated = await h.waitForEvent(callId, 'terminated');
    expect(terminated.resultInfo).toMatchObject({ code: 200, subcode: 7015 });

    const view = await mediaOf(callId);
    const [welcome] = heard(view, 'welcome');
    const [menu] = heard(view, 'menu');
    expect(heard(view, 'welcome')).toHaveLength(1);
    expect(welcome.heardMs).toBe(WELCOME_MS);
    // Barge-in: the menu stopped at the key, well before its end.
    expect(heard(view, 'menu')).toHaveLength(1);
    expect(menu.heardMs).toBeGreaterThanOrEqual(500);
    expect(menu.heardMs).toBeLessThan(MENU_MS);

    const actions = await h.graphActions(callId);
    expect(actions.filter((a) => a === 'transfer')).toHaveLength(1);
    expect(await graphMediaRequests(callId)).toEqual([]);
    expect(prompts.fetched.get('menu.wav')).toBeGreaterThanOrEqual(1);
  });

  it('replays the menu when no key comes, then says goodbye and hangs up', async () => {
    const callId = await h.incomingCall({ caller: { id: 'desk-caller-2' } });
    await h.waitForEvent(callId, 'terminated', 60_000);
    expect((await h.waitForFlowEvent(callId, 'flow-finished')).data).toMatchObject({ reason: 'hangup', step: 'bye' });

    const view = await mediaOf(callId);
    // The menu three times (the first try and two retries), each in full, after the no-input apology on retries.
    expect(heard(view, 'menu').map((p) => p.heardMs)).toEqual([MENU_MS, MENU_MS, MENU_MS]);
    expect(view.prompts.filter((p) => p.promptId.endsWith('@0'))).toHaveLength(2);
    expect(heard(view, 'goodbye')).toHaveLength(1);
    expect((await h.graphActions(callId)).filter((a) => a === 'DELETE')).toHaveLength(1);
    expect(await graphMediaRequests(callId)).toEqual([]);
  }, 60_000);

  it('runs the flow on a call the API placed with app-hosted media: the pod’s events find the call by its media call id', async () => {
    await h.control('PUT', `/emulator/callees/${AGENT_ID}`, { behaviour: 'answer', ringMs: 100 });
    await h.control('PUT', `/emulator/callees/${CALLEE_ID}`, { behaviour: 'answer', ringMs: 100 });
    const api = await CallControlClient.start(h);
    const { callId } = await api.call<{ callId: string }>(201, 'POST', '/v1/calls', { target: { user: { id: CALLEE_ID } }, flow: 'front-desk', media: 'appHosted' });
    const record = await h.callRecord(callId);
    const mediaCallId = (record['media'] as { mediaCallId: string }).mediaCallId;
    // Graph names the call only after the pod prepared it: the pod knows it by an id of ours.
    expect(mediaCallId).not.toBe(callId);

    await pressDuringMenu(callId, '1');
    expect(await h.waitForEvent(callId, 'tone')).toMatchObject({ digit: '1' });
    expect((await h.waitForEvent(callId, 'terminated')).resultInfo).toMatchObject({ code: 200, subcode: 7015 });
    const view = await mediaOf(callId);
    expect(view.prompts.map((p) => p.promptId)).toEqual([expect.stringMatching(/^welcome:/), expect.stringMatching(/^menu:/)]);
    expect(await graphMediaRequests(callId)).toEqual([]);
  });

  it('records the message on the pod under a recording grant, stored in Blob storage, and thanks the caller', async () => {
    const callId = await h.incomingCall({ caller: { id: 'desk-caller-3' } });
    await pressDuringMenu(callId, '2');
    // The caller waits for the prompt and the beep, leaves a short message, then stays silent: silence ends it.
    await h.control('POST', `/emulator/calls/${callId}/script`, { script: [{ wait: 1500 }, { speak: 1500 }, { silence: 8000 }] });
    const stored = await h.waitForEvent(callId, 'recording-stored', 30_000);
    expect(stored).toMatchObject({ container: 'recordings', blobName: expect.stringContaining(callId), contentType: 'audio/wav', grantId: expect.any(String) });
    expect(stored.bytes).toBeGreaterThan(16_000 * 2);
    await h.waitForEvent(callId, 'terminated', 30_000);

    const view = await mediaOf(callId);
    expect(view.prompts.filter((p) => p.promptId.startsWith('message:') && p.promptId.endsWith('@prompt'))).toHaveLength(1);
    expect(heard(view, 'thanks')).toHaveLength(1);
    expect(await graphMediaRequests(callId)).toEqual([]);
    // The status went to Graph around the message: recording before it was written, notRecording after.
    const statuses = (await h.graphActions(callId)).filter((a) => a === 'updateRecordingStatus');
    expect(statuses).toHaveLength(2);
  });
});
