import { SineOscillator, toInt16 } from './generators';
import { levelDbfs, sineAmplitude } from './pcm';
import { Resampler, resampleTo16k } from './resampler';
import { zeroCrossingHz } from './test-signals';

function sine(frequencyHz: number, sampleRate: number, seconds: number, levelDbfs = -6): Int16Array {
  const out = new Float64Array(Math.round(sampleRate * seconds));
  new SineOscillator(frequencyHz, sineAmplitude(levelDbfs), sampleRate).add(out);
  return toInt16(out);
}

/** The middle of a signal, away from the filter's edges. */
const middle = (s: Int16Array): Int16Array => s.subarray(Math.floor(s.length / 4), Math.floor((3 * s.length) / 4));

describe('Resampler', () => {
  it.each([8000, 24000, 44100, 48000, 16000])('converts %i Hz to 16 kHz: length ratio kept, a tone keeps its frequency and level', (rate) => {
    for (const hz of [440, 1000, 3000]) {
      const input = sine(hz, rate, 1);
      const output = resampleTo16k(input, rate);
      expect(output.length).toBe(Math.round((input.length * 16000) / rate));
      expect(zeroCrossingHz(middle(output), 16000)).toBeCloseTo(hz, -1);
      expect(Math.abs(levelDbfs(middle(output)) - -6)).toBeLessThan(0.3);
    }
  });

  it('lines the output up with the input (the filter delay is removed)', () => {
    const input = new Int16Array(48000);
    input.set(sine(1000, 48000, 0.1), 24000);
    const output = resampleTo16k(input, 48000);
    const firstLoud = output.findIndex((s) => Math.abs(s) > 1000);
    expect(Math.abs(firstLoud - 8000)).toBeLessThanOrEqual(2);
  });

  it('removes what the 16 kHz output cannot carry (no aliasing)', () => {
    for (const [rate, hz] of [
      [48000, 10000],
      [44100, 12000],
      [24000, 9000],
    ]) {
      const output = resampleTo16k(sine(hz, rate, 1), rate);
      expect(levelDbfs(middle(output))).toBeLessThan(-6 - 70);
    }
  });

  it('mixes stereo down to mono', () => {
    const left = sine(1000, 48000, 0.5);
    const same = new Int16Array(left.length * 2);
    const opposite = new Int16Array(left.length * 2);
    for (let i = 0; i < left.length; i++) {
      same[2 * i] = same[2 * i + 1] = left[i];
      opposite[2 * i] = left[i];
      opposite[2 * i + 1] = -left[i];
    }
    expect(Math.abs(levelDbfs(middle(resampleTo16k(same, 48000, 2))) - -6)).toBeLessThan(0.3);
    expect(levelDbfs(resampleTo16k(opposite, 48000, 2))).toBeLessThan(-90);
  });

  it('gives the same samples frame by frame as in one piece', () => {
    const input = sine(700, 44100, 0.5);
    const whole = new Resampler({ inputRate: 44100 });
    const expected = new Int16Array(whole.maxOutputLength(input.length));
    const n = whole.process(input, expected);

    const framed = new Resampler({ inputRate: 44100 });
    const out = new Int16Array(framed.maxOutputLength(441));
    const got: number[] = [];
    for (let i = 0; i < input.length; i += 441) {
      const written = framed.process(input.subarray(i, i + 441), out);
      got.push(...out.subarray(0, written));
    }
    expect(got).toEqual([...expected.subarray(0, n)]);
  });

  it('refuses rates, channel counts and buffers it cannot use, saying why', () => {
    expect(() => new Resampler({ inputRate: 0 })).toThrow(/input rate/);
    expect(() => new Resampler({ inputRate: 48000, channels: 3 })).toThrow(/channels must be 1 or 2/);
    expect(() => new Resampler({ inputRate: 44101 })).toThrow(/too fine/);
    const stereo = new Resampler({ inputRate: 48000, channels: 2 });
    expect(() => stereo.process(new Int16Array(3), new Int16Array(10))).toThrow(/whole number of 2-channel frames/);
    expect(() => stereo.process(new Int16Array(960), new Int16Array(10))).toThrow(/output holds 10 samples/);
  });
});
