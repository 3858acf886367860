import { BlobServiceClient } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import type { E2eHarness } from './support/harness';
import { useIvrPlatform } from './support/ivr-platform';

/** The front-desk menu (fixtures/ivr/flows/main-menu.yaml): 1 → an agent, 2 → a message. */
const AGENT_ID = '2a1b6f6e-0000-4000-8000-000000000001';
const WAV_BYTES_PER_SECOND = 16_000 * 2;

describe('the IVR menu flow, end to end', () => {
  let h: E2eHarness;
  useIvrPlatform({}, (harness) => (h = harness));

  /** Waits until the menu has been asked for `times` times, then the person presses `key`. */
  async function pressAtMenu(callId: string, key: string, times = 1): Promise<void> {
    await h.waitForRequests(callId, (rs) => rs.filter((r) => r.path.endsWith('/playPrompt') && JSON.stringify(r.body).includes('menu.wav')).length >= times, `menu prompt #${times}`);
    await h.control('POST', `/emulator/calls/${callId}/tones`, { tones: key });
  }

  const count = (actions: string[], action: string) => actions.filter((a) => a === action).length;

  it('times out on silence: the no-input prompt and the menu twice, then goodbye and a hang-up', async () => {
    const callId = await h.incomingCall({ caller: { displayName: 'Quiet Caller' } });

    const actions = await h.waitForActions(callId, ['DELETE']);
    const prompts = (await h.promptRequests(callId)).map((p) => p.prompts);
    expect(prompts).toEqual([['hello.wav'], ['menu.wav'], ['sorry-no-input.wav', 'menu.wav'], ['sorry-no-input.wav', 'menu.wav'], ['goodbye.wav']]);
    expect(count(actions, 'DELETE')).toBe(1);
    expect((await h.waitForEvent(callId, 'terminated')).resultInfo).toMatchObject({ code: 200 });
    expect((await h.waitForFlowEvent(callId, 'flow-finished')).data).toMatchObject({ reason: 'hangup', step: 'hangup' });
    expect(await h.callRecord(callId)).toMatchObject({ state: 'terminated', outbox: [], timers: {} });
  });

  it('transfers to the agent on 1: the call ends as transferred, with one transfer request', async () => {
    await h.control('PUT', `/emulator/callees/${AGENT_ID}`, { behaviour: 'answer', ringMs: 100 });
    const callId = await h.incomingCall({ caller: { displayName: 'Ada Lovelace' } });

    await pressAtMenu(callId, '1');
    const terminated = await h.waitForEvent(callId, 'terminated');
    expect(terminated.resultInfo).toMatchObject({ code: 200, subcode: 7015 });

    const collected = await h.waitForFlowEvent(callId, 'digits-collected');
    expect(collected.data).toMatchObject({ digits: '1', step: 'menu', flowId: 'main-menu' });

    const requests = await h.graphRequests(callId);
    const transfers = requests.filter((r) => r.path.endsWith('/transfer'));
    expect(transfers).toHaveLength(1);
    expect(transfers[0]).toMatchObject({ status: 202, body: { transferTarget: { identity: { user: { id: AGENT_ID, displayName: 'Front desk' } } } } });
    // A successful transfer ends the call at Graph: the bot does not hang up itself.
    expect(await h.graphActions(callId)).not.toContain('DELETE');
    expect(await h.callRecord(callId)).toMatchObject({ state: 'terminated', outbox: [] });
  });

  it('records a message on 2 under a recording grant, stores the WAV in Blob storage, thanks the caller and hangs up', async () => {
    // A scripted person only speaks when the script says so (unscripted ones talk whenever a recording starts).
    const callId = await h.incomingCall({ caller: { displayName: 'Grace Hopper' }, script: [{ wait: 10 }] });
    await pressAtMenu(callId, '2');

    const [record] = (await h.waitForRequests(callId, (rs) => rs.some((r) => r.path.endsWith('/recordResponse')), 'recordResponse')).filter((r) =>
      r.path.endsWith('/recordResponse'),
    );
    expect(record.body).toMatchObject({ playBeep: true, maxSilenceTimeoutInSeconds: 1, maxRecordDurationInSeconds: 10, stopTones: ['#'] });
    await h.control('POST', `/emulator/calls/${callId}/script`, { script: [{ speak: 1500 }, { silence: 3000 }] });

    const available = await h.waitForFlowEvent(callId, 'recording-available');
    expect(available.data).toMatchObject({ location: expect.stringContaining('/emulator/recordings/'), completionReason: 'maxSilenceTimeout' });
    expect(available.data).not.toHaveProperty('accessToken');

    const stored = await h.waitForEvent(callId, 'recording-stored');
    expect(stored.blobName).toContain(callId);
    const container = BlobServiceClient.fromConnectionString(h.platform.blobConnectionString as string).getContainerClient(stored.container);
    const wav = await container.getBlockBlobClient(stored.blobName).downloadToBuffer();
    expect(wav.length).toBe(stored.bytes);
    expect(createHash('sha256').update(wav).digest('hex')).toBe(stored.sha256);
    // Recording was granted before recordResponse, and ended (notRecording) after the blob was written.
    const sent = await h.graphActions(callId);
    expect(sent.indexOf('updateRecordingStatus')).toBeLessThan(sent.indexOf('recordResponse'));
    await h.waitForRequests(callId, (rs) => rs.some((r) => r.path.endsWith('/updateRecordingStatus') && (r.body as { status?: string }).status === 'notRecording'), 'notRecording');
    const text = (from: number, to: number) => Buffer.from(wav.subarray(from, to)).toString('ascii');
    expect([text(0, 4), text(8, 12)]).toEqual(['RIFF', 'WAVE']);
    // 1.5 s of speech, then the 1 s of silence that ends it: roughly 2.5 s of 16 kHz 16-bit mono.
    expect(wav.length).toBeGreaterThan(1.5 * WAV_BYTES_PER_SECOND);
    expect(wav.length).toBeLessThan(5 * WAV_BYTES_PER_SECOND);
    const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length - ((wav.length - 44) % 2)));
    expect(samples.some((s) => Math.abs(s) > 1000)).toBe(true);

    const actions = await h.waitForActions(callId, ['DELETE']);
    const prompts = (await h.promptRequests(callId)).map((p) => p.prompts);
    expect(prompts).toEqual([['hello.wav'], ['menu.wav'], ['thanks.wav']]);
    expect(actions.indexOf('recordResponse')).toBeLessThan(actions.indexOf('DELETE'));
    expect((await h.waitForEvent(callId, 'terminated')).resultInfo).toMatchObject({ code: 200 });
    expect((await h.waitForFlowEvent(callId, 'flow-finished')).data).toMatchObject({ reason: 'hangup' });
  });

  it('replays the menu with the invalid-key prompt twice on a wrong key, then says goodbye and hangs up', async () => {
    const callId = await h.incomingCall({ caller: { displayName: 'Wrong Key' } });
    for (let attempt = 1; attempt <= 3; attempt++) await pressAtMenu(callId, '9', attempt);

    const actions = await h.waitForActions(callId, ['DELETE']);
    const prompts = (await h.promptRequests(callId)).map((p) => p.prompts);
    expect(prompts).toEqual([['hello.wav'], ['menu.wav'], ['sorry-invalid.wav', 'menu.wav'], ['sorry-invalid.wav', 'menu.wav'], ['goodbye.wav']]);
    expect(count(actions, 'DELETE')).toBe(1);
    expect(count(actions, 'transfer') + count(actions, 'recordResponse')).toBe(0);
    await h.waitForEvent(callId, 'terminated');
    expect(h.events.filter((e) => e.callId === callId && e.type === 'flow-event' && e.name === 'digits-collected')).toEqual([]);
    expect(h.events.filter((e) => e.callId === callId && e.type === 'tone')).toHaveLength(3);
  });
});
