import { dtmfSequence, FRAME_SAMPLES, pcm16View, SpeechLikeSource } from '@switchboard/media-dsp';
import { audioFrame, bytesOf, framesOf, TICKS_PER_FRAME } from '../testing/frames.testing';
import { sessionForTest } from '../testing/session.testing';

/** A prompt whose frame k holds the value k + 1 in every sample, so frames can be told apart. */
function numberedPrompt(frames: number): Int16Array {
  const samples = new Int16Array(frames * FRAME_SAMPLES);
  for (let k = 0; k < frames; k++) samples.fill(k + 1, k * FRAME_SAMPLES, (k + 1) * FRAME_SAMPLES);
  return samples;
}
const loaded = () => new Promise((r) => setImmediate(r));
const firstSample = (data: Buffer) => pcm16View(data)[0];

describe('CallSession: prompts and the audio the app sends', () => {
  it('plays a prompt paced at 20 ms, a little ahead of the clock, with growing timestamps, then completes it', async () => {
    const t = sessionForTest({ loadPrompt: async () => numberedPrompt(50) });
    expect(t.session.play({ id: 'menu', uri: 'http://prompts/menu.wav' })).toBe(0);
    await loaded();
    // Two frames go at once so timer jitter never leaves the platform without audio.
    expect(t.sent.length).toBe(2);
    t.clock.advance(200);
    expect(t.sent.length).toBe(12);
    t.clock.advance(1000);
    expect(t.sent.map((f) => firstSample(f.data))).toEqual(Array.from({ length: 50 }, (_, k) => k + 1));
    expect(t.sent.every((f) => f.promptId === 'menu' && f.data.length === 640)).toBe(true);
    const steps = t.sent.slice(1).map((f, i) => f.timestampTicks - t.sent[i].timestampTicks);
    expect(new Set(steps)).toEqual(new Set([TICKS_PER_FRAME]));
    expect(t.ofType('prompt-completed').map((e) => [e.id, e.reason, e.framesPlayed])).toEqual([['menu', 'completed', 50]]);
  });

  it('plays queued prompts in order and keeps the timeline growing across idle time', async () => {
    const t = sessionForTest({ loadPrompt: async (uri) => numberedPrompt(uri.endsWith('a.wav') ? 3 : 2) });
    t.session.play({ id: 'a', uri: 'http://p/a.wav' });
    expect(t.session.play({ id: 'b', uri: 'http://p/b.wav' })).toBe(1);
    await loaded();
    t.clock.advance(500);
    expect(t.sent.map((f) => f.promptId)).toEqual(['a', 'a', 'a', 'b', 'b']);
    const lastBefore = t.sent[4].timestampTicks;
    t.session.play({ id: 'c', uri: 'http://p/c.wav' });
    await loaded();
    // 500 ms passed in silence: the next frame is stamped after that, not right after the last one.
    expect(t.sent[5].timestampTicks).toBeGreaterThanOrEqual(lastBefore + 20n * TICKS_PER_FRAME);
    expect(t.ofType('prompt-completed').map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('stops a prompt that allows it when a key is pressed, and names the reason', async () => {
    const t = sessionForTest({ loadPrompt: async () => numberedPrompt(500) });
    t.session.play({ id: 'menu', uri: 'http://p/menu.wav', bargeIn: { keys: true } });
    await loaded();
    t.clock.advance(400);
    const before = t.sent.length;
    t.feed(framesOf(dtmfSequence('2', { toneMs: 100, gapMs: 60, leadMs: 40 })).map((f, n) => audioFrame(f, n)));
    t.clock.advance(1000);
    expect(t.sent.length).toBe(before);
    expect(t.ofType('prompt-completed').map((e) => [e.id, e.reason, e.framesPlayed])).toEqual([['menu', 'barged-in', before]]);
    expect(t.ofType('dtmf').map((e) => e.digit)).toEqual(['2']);
  });

  it('stops on speech only a prompt that allows speech barge-in', async () => {
    const t = sessionForTest({ loadPrompt: async () => numberedPrompt(500) });
    t.session.play({ id: 'keys-only', uri: 'http://p/x.wav', bargeIn: { keys: true } });
    t.session.play({ id: 'speech-too', uri: 'http://p/y.wav', bargeIn: { keys: true, speech: true } });
    await loaded();
    const voice = new Int16Array(16 * 1000);
    new SpeechLikeSource(3, { levelDbfs: -20 }).fill(voice, 16 * 200);
    const speech = framesOf(voice).map((f, n) => audioFrame(f, n));
    t.feed(speech);
    expect(t.ofType('speech-started').length).toBeGreaterThan(0);
    expect(t.ofType('prompt-completed')).toEqual([]);
    expect(t.session.cancel('keys-only')).toEqual(['keys-only']);
    t.clock.advance(200);
    // Quiet long enough for the first speech to end, then speech again while the second prompt plays.
    t.feed([...framesOf(new Int16Array(16 * 600)), ...framesOf(voice)].map((f, n) => audioFrame(f, 100 + n)));
    expect(t.ofType('prompt-completed').map((e) => [e.id, e.reason])).toEqual([
      ['keys-only', 'cancelled'],
      ['speech-too', 'barged-in'],
    ]);
  });

  it('cancels one prompt by id or all of them, and ends a prompt that cannot be fetched as failed', async () => {
    const t = sessionForTest({
      loadPrompt: async (uri) => {
        if (uri.includes('missing')) throw new Error('GET http://p/missing.wav answered 404');
        return numberedPrompt(100);
      },
    });
    t.session.play({ id: 'one', uri: 'http://p/1.wav' });
    t.session.play({ id: 'gone', uri: 'http://p/missing.wav' });
    t.session.play({ id: 'two', uri: 'http://p/2.wav' });
    t.session.play({ id: 'three', uri: 'http://p/3.wav' });
    expect(() => t.session.play({ id: 'two', uri: 'http://p/2.wav' })).toThrow('prompt two is already queued or playing on this call');
    await loaded();
    t.clock.advance(100);
    expect(t.session.cancel('one')).toEqual(['one']);
    t.clock.advance(100);
    expect(t.session.cancel()).toEqual(['two', 'three']);
    t.clock.advance(1000);
    expect(t.ofType('prompt-completed').map((e) => [e.id, e.reason, e.error])).toEqual([
      ['one', 'cancelled', undefined],
      ['gone', 'failed', 'GET http://p/missing.wav answered 404'],
      ['two', 'cancelled', undefined],
      ['three', 'cancelled', undefined],
    ]);
    expect(new Set(t.sent.map((f) => f.promptId))).toEqual(new Set(['one', 'two']));
  });

  it('sends the audio the app streams in order, mixed with a playing prompt', async () => {
    const t = sessionForTest({ loadPrompt: async () => numberedPrompt(2) });
    const app = [100, 200, 300].map((v) => bytesOf(new Int16Array(FRAME_SAMPLES).fill(v)));
    t.session.play({ id: 'p', uri: 'http://p/p.wav' });
    await loaded();
    // The prompt's two frames left at once (the lead); the app audio plays alone after them.
    for (const frame of app) await t.session.sendAudio(frame);
    t.clock.advance(100);
    expect(t.sent.map((f) => [firstSample(f.data), f.promptId])).toEqual([
      [1, 'p'],
      [2, 'p'],
      [100, ''],
      [200, ''],
      [300, ''],
    ]);
    const mixed = sessionForTest({ loadPrompt: async () => numberedPrompt(2) });
    await mixed.session.sendAudio(app[0]);
    mixed.session.play({ id: 'q', uri: 'http://p/q.wav' });
    await loaded();
    mixed.clock.advance(100);
    expect(mixed.sent.map((f) => firstSample(f.data))).toEqual([100, 1, 2]);
  });

  it('holds the app when a second of its audio is queued, instead of losing any', async () => {
    const t = sessionForTest();
    const frame = bytesOf(new Int16Array(FRAME_SAMPLES).fill(5));
    // The pacer takes two at once; fifty more fill the queue.
    for (let i = 0; i < 52; i++) await t.session.sendAudio(frame);
    let queued = false;
    const held = t.session.sendAudio(frame).then(() => (queued = true));
    await loaded();
    expect(queued).toBe(false);
    t.clock.advance(20);
    await held;
    t.clock.advance(2000);
    expect(t.sent.length).toBe(53);
  });
});
