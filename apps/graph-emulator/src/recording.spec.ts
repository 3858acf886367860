import { CLOCK_SLACK_MS, SERVICE_HOSTED, answeredCall, call, mediaPrompt, operationDone, readWav, recordingBegun, snapshotOf, useBotFixture } from '../test/harness';

interface RecordDone {
  status: string;
  completionReason: string;
  resultInfo: { code: number; subcode: number };
  recordingLocation: string;
  recordingAccessToken: string;
}

/** Where the non-silent samples of a recording start and end, in ms. */
function voicedRange(body: Buffer): { fromMs: number; toMs: number } {
  let first = -1;
  let last = -1;
  for (let i = 0; 44 + i * 2 < body.length; i++) {
    if (body.readInt16LE(44 + i * 2) === 0) continue;
    if (first < 0) first = i;
    last = i;
  }
  return { fromMs: first / 16, toMs: (last + 1) / 16 };
}

describe('recordResponse with scripted people', () => {
  const f = useBotFixture('all');

  /**
   * A caller is answered and the bot records; the caller follows `script` from the moment the recording listens, so
   * what is recorded does not depend on how quickly this test got there. Resolves with the final operation.
   */
  async function record(script: unknown[], body: Record<string, unknown>) {
    // A scripted caller (the script is empty by then) leaves no default message of their own.
    const callId = await answeredCall(f, SERVICE_HOSTED, {}, [{ wait: 1 }]);
    const started = Date.now();
    const res = await f.graph('POST', `/${callId}/recordResponse`, { prompts: [mediaPrompt('leave-a-message')], ...body });
    expect(res.json).toMatchObject({ '@odata.type': '#microsoft.graph.recordOperation', status: 'running' });
    const opId = (res.json as { id: string }).id;
    await recordingBegun(f, callId, opId);
    expect((await call(f.emulator, 'POST', `/emulator/calls/${callId}/script`, { body: { script } })).status).toBe(202);
    const done = await operationDone(f, callId, opId);
    return { callId, tookMs: Date.now() - started, op: done.resourceData as unknown as RecordDone };
  }

  const download = async (op: RecordDone, token = op.recordingAccessToken) =>
    call(f.emulator, 'GET', new URL(op.recordingLocation).pathname, { token });

  it('records while the person speaks and ends after the maximum silence that follows, with a WAV of that length', async () => {
    const { op, tookMs } = await record([{ wait: 300 }, { speak: 400 }], { maxSilenceTimeoutInSeconds: 1, maxRecordDurationInSeconds: 10 });
    expect(op).toMatchObject({ status: 'completed', completionReason: 'maxSilenceTimeout', resultInfo: { code: 200 } });
    expect(op.recordingLocation).toMatch(new RegExp(`^${f.emulator.baseUrl}/emulator/recordings/`));
    expect(tookMs).toBeGreaterThanOrEqual(300 + 400 + 1_000 - CLOCK_SLACK_MS);

    const res = await download(op);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    const wav = readWav(res.bytes);
    expect(wav).toMatchObject({ riff: 'RIFF', format: 1, channels: 1, sampleRate: 16_000, bitsPerSample: 16 });
    expect(res.bytes.length).toBe(44 + wav.dataBytes);
    // At least 300 ms of silence, at least 400 ms of speech, then at least the 1 s of silence that ended it (how much
    // longer each part lasts depends on how late the emulator's timers fire; maxSilenceTimeout says what ended it).
    const voice = voicedRange(res.bytes);
    expect(voice.fromMs).toBeGreaterThanOrEqual(300 - CLOCK_SLACK_MS);
    expect(voice.toMs - voice.fromMs).toBeGreaterThanOrEqual(400 - CLOCK_SLACK_MS);
    expect(wav.durationMs - voice.toMs).toBeGreaterThanOrEqual(1_000 - CLOCK_SLACK_MS);
  });

  it('ends on initial silence when the person says nothing (200/8510 initialSilenceTimeout)', async () => {
    const { op, tookMs } = await record([{ silence: 5_000 }], { initialSilenceTimeoutInSeconds: 1, maxRecordDurationInSeconds: 10 });
    expect(op).toMatchObject({ status: 'completed', completionReason: 'initialSilenceTimeout', resultInfo: { code: 200, subcode: 8510 } });
    expect(tookMs).toBeGreaterThanOrEqual(1_000 - CLOCK_SLACK_MS);
    const wav = readWav((await download(op)).bytes);
    expect(wav.durationMs).toBeGreaterThanOrEqual(1_000 - CLOCK_SLACK_MS);
    expect(wav.sample(500)).toBe(0);
  });

  it('ends at the maximum duration while the person is still talking (200/8515), recording exactly that long', async () => {
    const { op } = await record([{ speak: 3_000 }], { maxRecordDurationInSeconds: 1 });
    expect(op).toMatchObject({ completionReason: 'maxRecordDurationReached', resultInfo: { code: 200, subcode: 8515 } });
    expect(readWav((await download(op)).bytes).durationMs).toBe(1_000);
  });

  it('a stop tone ends the recording even without a tone subscription, and is not reported as toneInfo', async () => {
    // The completion reason, not the time taken, shows that the key ended it before the 5 s initial-silence limit.
    const { op, callId } = await record([{ press: '#' }], { stopTones: ['#'], initialSilenceTimeoutInSeconds: 5 });
    expect(op).toMatchObject({ status: 'completed', completionReason: 'stopToneDetected' });
    expect(f.bot.forCall(callId).some((n) => n.resourceData['toneInfo'])).toBe(false);
    expect(await snapshotOf(f, callId)).toMatchObject({ tonesPressed: ['pound'], toneSubscription: { subscribed: false } });
  });

  it('serves the recording only for its access token: none → 401, another → 404', async () => {
    const { op } = await record([{ speak: 100 }], { maxRecordDurationInSeconds: 1 });
    const path = new URL(op.recordingLocation).pathname;
    expect((await call(f.emulator, 'GET', path)).status).toBe(401);
    expect((await download(op, 'not-the-token')).status).toBe(404);
    expect((await call(f.emulator, 'GET', '/emulator/recordings/unknown', { token: op.recordingAccessToken })).status).toBe(404);
  });
});

describe('media queue with barge-in', () => {
  const f = useBotFixture('all', { timings: { promptMs: 1_500 } });
  const opIds = (callId: string) => f.bot.forCall(callId).filter((n) => n.resourceUrl.includes('/operations/'));

  it('a barge-in recordResponse cancels the running prompt, runs before the queued one, and a key cuts its own prompt', async () => {
    const callId = await answeredCall(f);
    await f.graph('POST', `/${callId}/subscribeToTone`, {});
    const running = (await f.graph('POST', `/${callId}/playPrompt`, { prompts: [mediaPrompt('menu')] })).json as { id: string };
    const queued = (await f.graph('POST', `/${callId}/playPrompt`, { prompts: [mediaPrompt('after')] })).json as { id: string };
    const rec = (await f.graph('POST', `/${callId}/recordResponse`, {
      prompts: [mediaPrompt('beep-prompt')],
      bargeInAllowed: true,
      stopTones: ['#'],
    })).json as { id: string };

    const cancelled = await operationDone(f, callId, running.id);
    expect(cancelled.resourceData).toMatchObject({
      status: 'failed',
      resultInfo: { code: 400, subcode: 8508 },
      completionReason: 'mediaOperationCanceled',
    });
    // A key during the record's own prompt starts the recording; the stop tone then ends it. Had the keys not cut the
    // prompt, both would have been ignored and the recording, begun after the prompt, would have ended on initial
    // silence: the completion reason shows the cut, however long this took. The prompt is still playing here.
    expect(await snapshotOf(f, callId)).toMatchObject({ promptsPlayed: [] });
    await call(f.emulator, 'POST', `/emulator/calls/${callId}/tones`, { body: { tones: '5#', gapMs: 100 } });
    const recorded = await operationDone(f, callId, rec.id);
    expect(recorded.resourceData).toMatchObject({ status: 'completed', completionReason: 'stopToneDetected' });

    await operationDone(f, callId, queued.id);
    expect(opIds(callId).map((n) => n.resourceUrl.split('/').pop())).toEqual([running.id, rec.id, queued.id]);
    const played = (await call(f.emulator, 'GET', `/emulator/calls/${callId}`)).json as { promptsPlayed: { uri: string }[] };
    expect(played.promptsPlayed.map((p) => p.uri.split('/').pop())).toEqual(['beep-prompt.wav', 'after.wav']);
  });
});
