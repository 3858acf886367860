import { addWhiteNoise, dtmfTone, toInt16 } from './generators';
import { FRAME_SAMPLES } from './pcm';
import { SeededRandom } from './random';
import { SpeechLikeSource } from './speech-like';
import { VoiceActivityDetector, type VoiceActivityEvent } from './voice-activity';

function run(signal: Int16Array): VoiceActivityEvent[] {
  const found: VoiceActivityEvent[] = [];
  const vad = new VoiceActivityDetector({ onEvent: (e) => found.push(e) });
  for (let i = 0; i < signal.length; i += FRAME_SAMPLES) vad.push(signal.subarray(i, i + FRAME_SAMPLES));
  return found;
}

function noise(seconds: number, levelDbfs: number, seed: number): Float64Array {
  const out = new Float64Array(seconds * 16000);
  addWhiteNoise(out, levelDbfs, new SeededRandom(seed));
  return out;
}

describe('VoiceActivityDetector', () => {
  it('stays quiet in silence and in steady noise', () => {
    expect(run(new Int16Array(16000 * 3))).toEqual([]);
    expect(run(toInt16(noise(5, -30, 1)))).toEqual([]);
  });

  it('finds speech over noise, and stops it after the hangover', () => {
    const signal = noise(6, -45, 2);
    const speech = new Int16Array(2 * 16000);
    new SpeechLikeSource(3).fill(speech);
    for (let i = 0; i < speech.length; i++) signal[2 * 16000 + i] += speech[i];
    const found = run(toInt16(signal));
    // Pauses between syllables longer than the hangover may split it; starts and stops alternate.
    expect(found.length % 2).toBe(0);
    found.forEach((e, i) => expect(e.kind).toBe(i % 2 === 0 ? 'speech-started' : 'speech-stopped'));
    expect(found[0].atMs).toBeGreaterThanOrEqual(2000);
    expect(found[0].atMs).toBeLessThan(2400);
    expect(found.at(-1)!.atMs).toBeGreaterThan(4000);
    expect(found.at(-1)!.atMs).toBeLessThanOrEqual(4000 + 300 + 20);
  });

  it('keeps speech on through a pause shorter than the hangover and needs 40 ms to start', () => {
    const signal = new Int16Array(16000 * 2);
    signal.set(dtmfTone('1', { durationMs: 200 }), 3200);
    signal.set(dtmfTone('1', { durationMs: 200 }), 3200 + 3200 + 2400);
    const found = run(signal);
    expect(found).toEqual([
      { kind: 'speech-started', atMs: 200 },
      // The second tone ends inside the frame 740-760 ms; the hangover runs from that frame's end.
      { kind: 'speech-stopped', atMs: 760 + 300 },
    ]);
    const click = new Int16Array(16000);
    click.set(dtmfTone('1', { durationMs: 20 }), 3200);
    expect(run(click)).toEqual([]);
  });
});
