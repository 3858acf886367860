import { readNotification, type CommsNotification } from '@switchboard/graph-models';
import { parseFlow } from '@switchboard/ivr-engine';
import type { FlowMediaEvent, MediaEventOf } from '@switchboard/nats-contracts';
import type { CallRecord } from '../orchestration/call-record';
import { reduceCall, type ReduceContext, type ReducerInput } from '../orchestration/call-reducer';
import type { SealedToken } from '../recordings/recording-token-seal';

/** One flow file, run on either media mode: the front desk's menu, message and goodbye. */
const frontDesk = parseFlow(
  `id: front-desk
version: 1
start: welcome
prompts: { base: "https://prompts.example/" }
steps:
  welcome: { play: [welcome.wav], next: menu }
  menu:
    gather:
      prompt: [menu.wav]
      maxDigits: 1
      firstDigitTimeoutMs: 4000
      retries: 1
      onInvalid: { play: [sorry-invalid.wav] }
      valid: ["1", "2"]
    branches: { "1": thanks, "2": message }
    onExhausted: goodbye
  message:
    record: { prompt: [after-the-beep.wav], maxDurationSeconds: 30, maxSilenceSeconds: 1, beep: true, stopKeys: ["#"] }
    next: thanks
    onFailed: goodbye
  thanks: { play: [thanks.wav], next: bye }
  goodbye: { play: [goodbye.wav], next: bye }
  bye: { hangup: {} }
`,
  'front-desk.yaml',
);

const callId = '4f1e0b00-1a2b-4c3d-8e9f-0123456789ab';
const ctx = (media?: 'appHosted'): ReduceContext => ({
  now: new Date('2026-01-01T00:00:00Z'),
  tenantId: 'tenant-1',
  replicaId: 'r1',
  keepAliveIntervalMs: 600_000,
  flows: { flow: () => frontDesk, route: () => ({ kind: 'flow', flowId: 'front-desk', ...(media ? { media } : {}) }) },
  sealToken: (_token, boundTo) => `sealed(${boundTo})` as SealedToken,
});
const call = (changeType: 'created' | 'updated', state: string): ReducerInput => ({
  kind: 'facts',
  facts: readNotification({
    changeType,
    resourceUrl: `/communications/calls/${callId}`,
    resourceData: { '@odata.type': '#microsoft.graph.call', id: callId, state, direction: 'incoming', tenantId: 'tenant-1', source: { identity: { user: { id: 'u1' } } } },
  } satisfies CommsNotification),
});

function apply(record: CallRecord | undefined, input: ReducerInput, media: 'appHosted' | undefined = 'appHosted'): CallRecord {
  const result = reduceCall(record, input, ctx(media));
  if (result.kind !== 'changed') throw new Error(`expected a change, got ${result.kind}`);
  return result.record;
}
const unchanged = (record: CallRecord, input: ReducerInput) => expect(reduceCall(record, input, ctx('appHosted'))).toEqual({ kind: 'unchanged' });
const drained = (r: CallRecord): CallRecord => ({ ...r, doneEffects: [...r.doneEffects, ...r.outbox.filter((i) => i.action.kind !== 'publish').map((i) => i.id)], outbox: [] });
const actions = (r: CallRecord) => r.outbox.map((i) => (i.action.kind === 'publish' ? `event:${i.action.event.type}` : i.action.kind === 'schedule' ? `schedule:${i.action.input.kind}` : i.action.kind));
const events = (r: CallRecord) => r.outbox.flatMap((i) => (i.action.kind === 'publish' ? [i.action.event] : []));
const item = (r: CallRecord, kind: string) => r.outbox.find((i) => i.action.kind === kind);

const envelope = { callId, podName: 'media-1', occurredAt: '2026-01-01T00:00:01.000Z' };
/** One media event of the call, in the pod's envelope. */
type Unenveloped<E> = E extends FlowMediaEvent ? Omit<E, 'callId' | 'podName' | 'occurredAt'> : never;
const media = (event: Unenveloped<FlowMediaEvent>): ReducerInput => ({ kind: 'media-event', requestId: 'r', event: { ...envelope, ...event } as FlowMediaEvent });
const started = media({ type: 'session-started', atMs: 0, grpcTarget: 'media-1:50051' });
const promptDone = (id: string, reason: MediaEventOf<'prompt-completed'>['reason'] = 'completed') => media({ type: 'prompt-completed', atMs: 900, id, reason, framesPlayed: 40 });
const key = (digit: string, atMs: number) => media({ type: 'dtmf', atMs, digit, source: 'audio' });

/** An app-hosted front-desk call placed on media-1 and established, its outbox carried out. */
function establishedOnPod(): CallRecord {
  let record = drained(apply(undefined, call('created', 'incoming')));
  record = drained(apply(record, { kind: 'media-placed', requestId: 'media-placed', pod: 'media-1', mediaCallId: callId, blob: '{}' }));
  return apply(record, call('updated', 'established'));
}

/** The call after the welcome prompt, playing the menu. */
function atMenu(): { record: CallRecord; menu: string } {
  let record = drained(apply(drained(establishedOnPod()), started));
  const welcome = record.doneEffects.at(-1)!.slice('media:'.length);
  record = apply(record, promptDone(welcome));
  const menu = item(record, 'media-play')!.clientContext!;
  return { record: drained(record), menu };
}

describe('a flow on app-hosted media', () => {
  it('runs the same flow file through Graph on a service-hosted call', () => {
    const record = apply(drained(apply(undefined, call('created', 'incoming'), undefined)), call('updated', 'established'), undefined);
    expect(actions(record)).toEqual(['event:state-changed', 'schedule:timer', 'event:established', 'subscribeToTone', 'playPrompt']);
  });

  it('waits for the pod’s media session, then plays on the pod (no tone subscription: its detector always runs)', () => {
    const established = establishedOnPod();
    expect(actions(established)).toEqual(['event:state-changed', 'schedule:timer', 'event:established']);
    const record = apply(drained(established), started);
    expect(record.media).toEqual({ pod: 'media-1', mediaCallId: callId, sessionStarted: true });
    expect(actions(record)).toEqual(['media-play']);
    expect(record.outbox[0]).toMatchObject({
      id: `media:${record.outbox[0].clientContext}`,
      action: { kind: 'media-play', prompts: ['https://prompts.example/welcome.wav'], bargeIn: false },
    });
    unchanged(drained(record), started);
  });

  it('starts the flow at establishment when the session started first', () => {
    let record = drained(apply(undefined, call('created', 'incoming')));
    record = drained(apply(record, { kind: 'media-placed', requestId: 'media-placed', pod: 'media-1', mediaCallId: callId, blob: '{}' }));
    record = drained(apply(record, started));
    expect(actions(apply(record, call('updated', 'established')))).toContain('media-play');
  });

  it('goes on when the last prompt of a play ends, once; an earlier prompt of it or another id changes nothing', () => {
    const { record, menu } = atMenu();
    expect(record.doneEffects.at(-1)).toBe(`media:${menu}`);
    unchanged(record, promptDone(`${menu}@0`));
    unchanged(record, promptDone('welcome:99'));
    const ended = apply(record, promptDone(menu));
    expect(actions(ended)).toEqual(['schedule:timer']);
    unchanged(drained(ended), promptDone(menu));
  });

  it('fails a play whose earlier prompt failed, when its last prompt ends', () => {
    const { record, menu } = atMenu();
    // A key the menu does not take: the apology, then the menu again, as one play of two prompts.
    let retry = apply(record, key('9', 1500));
    const again = item(retry, 'media-play')!;
    expect(again.action).toMatchObject({ prompts: ['https://prompts.example/sorry-invalid.wav', 'https://prompts.example/menu.wav'] });
    retry = drained(retry);
    const apology = apply(retry, promptDone(`${again.clientContext}@0`, 'failed'));
    expect(actions(apology)).toEqual([]);
    const ended = apply(apology, promptDone(again.clientContext!));
    expect(events(ended)).toEqual([expect.objectContaining({ type: 'flow-event', name: 'step-failed', data: expect.objectContaining({ error: 'prompt failed' }) })]);
    expect(again.clientContext).not.toBe(menu);
  });

  it('turns a key into a tone (sequence id from the stream time), cancels the menu and records with the flow’s limits', () => {
    const { record } = atMenu();
    const pressed = apply(record, key('2', 1520.4));
    expect(events(pressed)[0]).toMatchObject({ type: 'tone', tone: 'tone2', digit: '2', sequenceId: 1520 });
    expect(actions(pressed)).toEqual(['event:tone', 'media-cancel', 'event:flow-event', 'media-record']);
    expect(item(pressed, 'media-record')).toMatchObject({
      id: expect.stringMatching(/^media:message:/),
      action: { prompt: 'https://prompts.example/after-the-beep.wav', maxDurationSeconds: 30, maxSilenceSeconds: 1, beep: true, stopTones: ['#'] },
    });
    unchanged(drained(pressed), key('2', 1520.4));
  });

  it('hears a recording the pod stored: recording-available for the flow, recording-stored at once, nothing to download', () => {
    const { record } = atMenu();
    const recording = drained(apply(record, key('2', 1520)));
    const clientContext = recording.doneEffects.at(-1)!.slice('media:'.length);
    const stored = { recordingId: 'rec-1', grantId: 'grant-1', container: 'recordings', blobName: `${callId}/rec-1.wav`, bytes: 32044, durationMs: 1000, sha256: 'ab' };
    const done = apply(recording, media({ type: 'record-completed', atMs: 4000, id: clientContext, reason: 'silence', recording: stored }));
    expect(actions(done)).toEqual(['event:flow-event', 'media-play', 'event:recording-stored']);
    expect(done.outbox.some((i) => i.action.kind === 'store-recording')).toBe(false);
    expect(events(done)[0]).toMatchObject({ name: 'recording-available', data: { location: `recordings/${callId}/rec-1.wav`, completionReason: 'silence', clientContext } });
    expect(events(done)[1]).toMatchObject({ type: 'recording-stored', recordingId: 'rec-1', grantId: 'grant-1', container: 'recordings', blobName: `${callId}/rec-1.wav`, bytes: 32044, contentType: 'audio/wav', sha256: 'ab' });
    expect(item(done, 'media-play')?.action).toMatchObject({ prompts: ['https://prompts.example/thanks.wav'] });
    unchanged(drained(done), media({ type: 'record-completed', atMs: 4000, id: clientContext, reason: 'silence', recording: stored }));
  });

  it('takes the flow’s failure branch when the pod could not record (no grant)', () => {
    const { record } = atMenu();
    const recording = drained(apply(record, key('2', 1520)));
    const clientContext = recording.doneEffects.at(-1)!.slice('media:'.length);
    const refused = apply(recording, media({ type: 'record-completed', atMs: 1600, id: clientContext, reason: 'not-granted' }));
    expect(events(refused)).toEqual([expect.objectContaining({ type: 'flow-event', name: 'step-failed', data: expect.objectContaining({ error: 'recording failed: not-granted' }) })]);
    expect(item(refused, 'media-play')?.action).toMatchObject({ prompts: ['https://prompts.example/goodbye.wav'] });
  });

  it('ends the call when its media session fails, once', () => {
    const { record } = atMenu();
    const failed = apply(record, media({ type: 'session-failed', atMs: 2000, error: 'the bridge stopped' }));
    expect(actions(failed)).toEqual(['event:media-lost', 'hangUp']);
    expect(events(failed)[0]).toMatchObject({ pod: 'media-1', reason: 'the media session failed: the bridge stopped' });
    unchanged(drained(failed), media({ type: 'session-failed', atMs: 2000, error: 'again' }));
  });

  it('ignores an event about another media call', () => {
    const { record } = atMenu();
    unchanged(record, { kind: 'media-event', requestId: 'r', event: { ...envelope, callId: 'someone-else', type: 'dtmf', atMs: 10, digit: '1', source: 'audio' } });
  });
});
