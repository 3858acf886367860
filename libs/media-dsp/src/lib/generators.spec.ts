import { dtmfSequence, dtmfTone, dualTone } from './generators';
import { levelDbfs } from './pcm';
import { SpeechLikeSource } from './speech-like';
import { zeroCrossingHz } from './test-signals';

describe('signal generators', () => {
  it('makes keys at the asked level and twist', () => {
    const tone = dtmfTone('1', { durationMs: 1000, levelDbfs: -20, twistDb: 0 });
    // Two equal sines: 3 dB above each.
    expect(levelDbfs(tone)).toBeCloseTo(-17, 1);
    expect(zeroCrossingHz(dualTone(1000, 1000, { durationMs: 1000, levelDbfs: -20, twistDb: 200 }), 16000)).toBeCloseTo(1000, -1);
    expect(dtmfTone('#', { durationMs: 40 }).length).toBe(640);
  });

  it('dials a sequence with the asked timing and refuses a non-key', () => {
    expect(dtmfSequence('12', { toneMs: 50, gapMs: 50 }).length).toBe(16 * (50 + 50 + 50 + 50 + 50));
    expect(() => dtmfSequence('1x')).toThrow(/"x" is not a DTMF key/);
  });

  it('makes the same speech-like signal for the same seed, at the asked level', () => {
    const a = new Int16Array(16000 * 5);
    const b = new Int16Array(16000 * 5);
    const c = new Int16Array(16000 * 5);
    new SpeechLikeSource(1).fill(a);
    new SpeechLikeSource(1).fill(b);
    new SpeechLikeSource(2).fill(c);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(levelDbfs(a)).toBeCloseTo(-20, 0);
  });
});
