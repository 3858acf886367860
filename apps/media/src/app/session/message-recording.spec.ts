import { SpeechLikeSource, dtmfSequence } from '@switchboard/media-dsp';
import type { RecordCommand } from '@switchboard/nats-contracts';
import { audioFrame, framesOf } from '../testing/frames.testing';
import { FakeGrant, FakeGrants, memorySinks } from '../testing/recording.testing';
import { sessionForTest } from '../testing/session.testing';
import { RecordingBusyError } from './message-recording';
import type { OpenRecordingSink } from './recording-gate';

const silence = (ms: number) => new Int16Array(16 * ms);
const speech = (ms: number) => {
  const out = new Int16Array(16 * ms);
  new SpeechLikeSource(3, { levelDbfs: -20 }).fill(out);
  return out;
};
const concat = (...parts: Int16Array[]) => {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the record verb', () => {
  function recording(loadPrompt?: (uri: string) => Promise<Int16Array>) {
    const grants = new FakeGrants();
    const sinks = memorySinks();
    const t = sessionForTest({ messages: { grants, openSink: sinks.open, recorder: 'media:media-0:record' }, ...(loadPrompt ? { loadPrompt } : {}) });
    let n = 0;
    /** Frames as the platform sends them, 20 ms apart on the pacer's clock too. */
    const hear = (samples: Int16Array) => {
      for (const f of framesOf(samples)) {
        t.feed([audioFrame(f, n++)]);
        t.clock.advance(20);
      }
    };
    const completed = () => t.ofType('record-completed');
    const start = async (command: Partial<RecordCommand> = {}) => {
      t.session.record({ id: 'msg-1', maxDurationSeconds: 60, ...command });
      await settle();
    };
    return { ...t, grants, sinks, hear, completed, start };
  }

  it('stops at the maximum duration and stores what it captured under the grant, then releases the grant', async () => {
    const t = recording();
    await t.start({ maxDurationSeconds: 1 });
    t.hear(speech(3000));
    await settle();
    expect(t.completed()).toMatchObject([{ id: 'msg-1', reason: 'max-duration', recording: { durationMs: 1000, bytes: 50 * 640 } }]);
    expect(t.sinks.tracks.map((s) => [s.track, s.closed, s.grant.recorder])).toEqual([[{ kind: 'mixed' }, 'ended', 'media:media-0:record']]);
    expect(t.grants.released).toEqual(['call-1']);
  });

  it('stops after the caller is silent for maxSilenceSeconds once they have spoken', async () => {
    const t = recording();
    await t.start({ maxSilenceSeconds: 1 });
    t.hear(concat(speech(1000), silence(3000)));
    await settle();
    const [done] = t.completed();
    expect(done.reason).toBe('silence');
    // One second after the voice's hangover ran out: at most 1 s of speech, 300 ms of hangover, 1 s of silence.
    expect(done.recording?.durationMs).toBeGreaterThanOrEqual(2000);
    expect(done.recording?.durationMs).toBeLessThanOrEqual(2400);
  });

  it('stops when nobody speaks within initialSilenceSeconds, and keeps the silence it recorded', async () => {
    const t = recording();
    await t.start({ initialSilenceSeconds: 2, maxSilenceSeconds: 1 });
    t.hear(silence(5000));
    await settle();
    expect(t.completed()).toMatchObject([{ reason: 'initial-silence', recording: { durationMs: 2000 } }]);
  });

  it('stops on a stop key heard in the audio and names it; other keys do not stop it', async () => {
    const t = recording();
    await t.start({ stopKeys: ['#'] });
    t.hear(concat(speech(500), dtmfSequence('1', { toneMs: 80, gapMs: 80 }), silence(200), dtmfSequence('#', { toneMs: 80, gapMs: 80 }), silence(2000)));
    await settle();
    expect(t.completed()).toMatchObject([{ reason: 'key', key: '#' }]);
    expect(t.completed()[0].recording?.durationMs).toBeLessThan(1500);
  });

  it('writes nothing and reports not-granted when compliance refuses the grant', async () => {
    const t = recording();
    t.grants.refuse = 'no call c-9 is known to signaling';
    await t.start();
    t.hear(speech(1000));
    expect(t.completed()).toMatchObject([{ reason: 'not-granted', error: 'no call c-9 is known to signaling' }]);
    expect(t.completed()[0].recording).toBeUndefined();
    expect(t.sinks.tracks).toEqual([]);
  });

  it('commits nothing and reports failed when the grant is revoked mid-way (and does not stop a grant it no longer has)', async () => {
    const t = recording();
    await t.start();
    t.hear(speech(500));
    (t.grants.grants.get('call-1') as FakeGrant).revoke();
    await settle();
    t.hear(speech(500));
    expect(t.completed()).toMatchObject([{ reason: 'failed', error: 'the recording grant was revoked' }]);
    expect(t.completed()[0].recording).toBeUndefined();
    expect(t.sinks.tracks.map((s) => [s.closed, s.frames.length])).toEqual([['revoked', 25]]);
    expect(t.grants.released).toEqual([]);
  });

  it('is cancelled by cancel with its id: nothing is kept, the grant is given back', async () => {
    const t = recording();
    await t.start();
    t.hear(speech(400));
    expect(t.session.cancel('msg-1')).toEqual(['msg-1']);
    await settle();
    expect(t.completed()).toMatchObject([{ reason: 'cancelled' }]);
    expect(t.completed()[0].recording).toBeUndefined();
    expect(t.sinks.tracks.map((s) => s.closed)).toEqual(['cancelled']);
    expect(t.grants.released).toEqual(['call-1']);
  });

  it('keeps what was recorded when the call ends, before the session ends', async () => {
    const t = recording();
    await t.start();
    t.hear(speech(600));
    await t.session.end('completed');
    expect(t.events.slice(-2).map((e) => e.type)).toEqual(['record-completed', 'session-ended']);
    expect(t.completed()).toMatchObject([{ reason: 'call-ended', recording: { durationMs: 600 } }]);
    expect(t.grants.released).toEqual(['call-1']);
  });

  it('still reports call-ended, without a recording, when the commit is refused as the call ends', async () => {
    const grants = new FakeGrants();
    const refusing: OpenRecordingSink = () => ({ write: () => true, close: async () => Promise.reject(new Error('grant g-1 has ended')) });
    const t = sessionForTest({ messages: { grants, openSink: refusing, recorder: 'media:media-0:record' } });
    t.session.record({ id: 'msg-1', maxDurationSeconds: 60 });
    await settle();
    t.feed(framesOf(speech(200)).map((f, n) => audioFrame(f, n)));
    await t.session.end('completed');
    expect(t.ofType('record-completed')).toMatchObject([{ reason: 'call-ended', error: 'the recording could not be stored: grant g-1 has ended' }]);
    expect(t.ofType('record-completed')[0].recording).toBeUndefined();
  });

  it('gives back a grant that arrives after the recording was cancelled', async () => {
    const t = recording();
    t.grants.hold = true;
    await t.start();
    t.session.cancel();
    await settle();
    t.grants.grantNow();
    await settle();
    expect(t.completed()).toMatchObject([{ reason: 'cancelled' }]);
    expect(t.sinks.tracks).toEqual([]);
    expect(t.grants.released).toEqual(['call-1']);
  });

  it('refuses a second record while one runs', async () => {
    const t = recording();
    await t.start();
    expect(() => t.session.record({ id: 'msg-2', maxDurationSeconds: 5 })).toThrow(RecordingBusyError);
  });

  it('records after the prompts queued before it and the beep, which the caller hears', async () => {
    const t = recording(async () => silence(200));
    t.session.play({ id: 'greeting', uri: 'https://prompts.example/greeting.wav' });
    await t.start({ beep: true, maxDurationSeconds: 1 });
    t.hear(silence(2000));
    await settle();
    const played = t.sent.map((f) => f.promptId);
    expect(played.filter((id) => id === 'greeting')).toHaveLength(10);
    expect(played.filter((id) => id === 'msg-1.beep')).toHaveLength(20);
    expect(played.indexOf('msg-1.beep')).toBeGreaterThan(played.lastIndexOf('greeting'));
    // The app hears of its prompt, not of the beep.
    expect(t.ofType('prompt-completed').map((e) => e.id)).toEqual(['greeting']);
    // 2 s heard: 200 ms of prompt, 400 ms of beep, then the 1 s recording.
    expect(t.completed()).toMatchObject([{ reason: 'max-duration', recording: { durationMs: 1000 } }]);
  });

  it('answers not-granted at once on a pod where recording is not configured', () => {
    const t = sessionForTest();
    t.session.record({ id: 'msg-1', maxDurationSeconds: 5 });
    expect(t.ofType('record-completed')).toMatchObject([{ reason: 'not-granted', error: 'recording is not configured on this media pod' }]);
  });
});
