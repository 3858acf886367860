import { DtmfDetector, type DtmfDetectorOptions, type DtmfEvent } from './dtmf-detector';
import { DTMF_DIGITS } from './dtmf-keys';
import { dtmfSequence, dtmfTone, withNoise } from './generators';
import { FRAME_SAMPLES, msToSamples } from './pcm';
import { SeededRandom } from './random';
import { SpeechLikeSource } from './speech-like';

/** Pushes `signal` in frames of `frameLength` and returns every event. */
function events(signal: Int16Array, options: DtmfDetectorOptions = {}, frameLength = FRAME_SAMPLES): DtmfEvent[] {
  const found: DtmfEvent[] = [];
  const detector = new DtmfDetector({ ...options, onEvent: (e) => found.push(e) });
  for (let i = 0; i < signal.length; i += frameLength) detector.push(signal.subarray(i, i + frameLength));
  detector.flush();
  return found;
}

/** The keys found, as a string (one character per tone end). */
const keys = (signal: Int16Array, options?: DtmfDetectorOptions): string =>
  events(signal, options)
    .filter((e) => e.kind === 'end')
    .map((e) => e.digit)
    .join('');

/** `tone` placed `leadMs` into 300 ms of silence. */
function placed(tone: Int16Array, leadMs = 100, offsetSamples = 0): Int16Array {
  const out = new Int16Array(msToSamples(300) + tone.length);
  out.set(tone, msToSamples(leadMs) + offsetSamples);
  return out;
}

describe('DtmfDetector', () => {
  it('finds every key of the pad, once each, with its start and duration', () => {
    for (const digit of DTMF_DIGITS) {
      const found = events(placed(dtmfTone(digit, { durationMs: 80 })));
      expect(found.map((e) => `${e.kind} ${e.digit}`)).toEqual([`start ${digit}`, `end ${digit}`]);
      expect(Math.abs(found[1].startMs - 100)).toBeLessThanOrEqual(5);
      expect(Math.abs(found[1].durationMs - 80)).toBeLessThanOrEqual(5);
    }
  });

  it('reports the start while the key is still held, within 40 ms of the tone reaching the minimum', () => {
    const signal = placed(dtmfTone('7', { durationMs: 500 }));
    const detector = new DtmfDetector({ onEvent: (e) => (e.kind === 'start' ? (startedAt = pushed) : undefined) });
    let startedAt = -1;
    let pushed = 0;
    for (let i = 0; i < signal.length; i += FRAME_SAMPLES) {
      pushed += Math.min(FRAME_SAMPLES, signal.length - i);
      detector.push(signal.subarray(i, i + FRAME_SAMPLES));
    }
    expect(startedAt).toBeGreaterThan(msToSamples(100 + 40) - 1);
    expect(startedAt).toBeLessThanOrEqual(msToSamples(100 + 40 + 40));
  });

  it('accepts frequency errors of ±1.5% on either tone or both, and rejects ±3.5%', () => {
    for (const digit of DTMF_DIGITS) {
      for (const error of [-0.015, 0.015]) {
        expect(keys(placed(dtmfTone(digit, { durationMs: 60, rowError: error })))).toBe(digit);
        expect(keys(placed(dtmfTone(digit, { durationMs: 60, columnError: error })))).toBe(digit);
        expect(keys(placed(dtmfTone(digit, { durationMs: 60, rowError: error, columnError: -error })))).toBe(digit);
      }
      for (const error of [-0.035, 0.035]) {
        expect(keys(placed(dtmfTone(digit, { durationMs: 60, rowError: error })))).toBe('');
        expect(keys(placed(dtmfTone(digit, { durationMs: 60, columnError: error })))).toBe('');
      }
    }
  });

  it('accepts twist from +8 dB (normal) to -4 dB (reverse) and rejects +10 and -6 dB', () => {
    for (const digit of DTMF_DIGITS) {
      for (const twistDb of [8, 4, 0, -4]) expect(keys(placed(dtmfTone(digit, { durationMs: 60, twistDb })))).toBe(digit);
      for (const twistDb of [10, -6]) expect(keys(placed(dtmfTone(digit, { durationMs: 60, twistDb })))).toBe('');
    }
  });

  it('detects every key at 15 dB signal-to-noise, also at the twist limits', () => {
    const random = new SeededRandom(15);
    for (const digit of DTMF_DIGITS) {
      for (const twistDb of [8, 0, -4]) {
        for (let trial = 0; trial < 3; trial++) {
          expect(keys(placed(withNoise(dtmfTone(digit, { durationMs: 60, twistDb }), 15, random)))).toBe(digit);
        }
      }
    }
  });

  it('detects from -40 dBFS to -6 dBFS per tone and ignores -55 dBFS', () => {
    for (const levelDbfs of [-40, -30, -20, -10, -6]) {
      expect(keys(placed(dtmfSequence('159#', { levelDbfs, toneMs: 60, gapMs: 60 })))).toBe('159#');
    }
    expect(keys(placed(dtmfSequence('159#', { levelDbfs: -55, toneMs: 60, gapMs: 60 })))).toBe('');
  });

  it('reports tones of 40 ms and never tones of 25 ms, wherever they fall in the frames', () => {
    for (let offset = 0; offset < 80; offset += 7) {
      expect(keys(placed(dtmfTone('3', { durationMs: 40 }), 100, offset))).toBe('3');
      expect(keys(placed(dtmfTone('3', { durationMs: 25 }), 100, offset))).toBe('');
    }
  });

  it('separates repeated keys by a 40 ms gap and bridges a 10 ms interruption', () => {
    for (let offset = 0; offset < 80; offset += 13) {
      expect(keys(placed(dtmfSequence('55', { toneMs: 40, gapMs: 40 }), 100, offset))).toBe('55');
      const broken = placed(dtmfTone('5', { durationMs: 120 }), 100, offset);
      broken.fill(0, msToSamples(160) + offset, msToSamples(170) + offset);
      expect(keys(broken)).toBe('5');
    }
  });

  it('reads a fast dialled sequence of the whole pad (40 ms tones, 40 ms gaps)', () => {
    const all = DTMF_DIGITS.join('');
    expect(keys(dtmfSequence(all, { toneMs: 40, gapMs: 40 }))).toBe(all);
  });

  it('gives the same events whatever the frame length', () => {
    const signal = dtmfSequence('0*#D', { toneMs: 70, gapMs: 50 });
    const reference = events(signal);
    expect(reference.filter((e) => e.kind === 'end').map((e) => e.digit)).toEqual(['0', '*', '#', 'D']);
    for (const frameLength of [1, 7, 160, 333, 1000]) expect(events(signal, {}, frameLength)).toEqual(reference);
  });

  it('works at 8 kHz too (narrowband streams)', () => {
    const all = DTMF_DIGITS.join('');
    const signal = dtmfSequence(all, { toneMs: 40, gapMs: 40, sampleRate: 8000 });
    expect(keys(signal, { sampleRate: 8000 })).toBe(all);
    expect(keys(dtmfTone('5', { durationMs: 60, rowError: 0.035, sampleRate: 8000 }), { sampleRate: 8000 })).toBe('');
  });

  it('ends a key still held when the stream is flushed', () => {
    const found = events(dtmfTone('9', { durationMs: 200 }));
    expect(found.map((e) => e.kind)).toEqual(['start', 'end']);
    expect(Math.abs(found[1].durationMs - 200)).toBeLessThanOrEqual(5);
  });

  it('is not talked off by 30 s of speech-like signal (the quality suite runs an hour)', () => {
    const detector = new DtmfDetector({ onEvent: (e) => found.push(e) });
    const found: DtmfEvent[] = [];
    const speech = new SpeechLikeSource(2024);
    const frame = new Int16Array(FRAME_SAMPLES);
    for (let i = 0; i < 30 * 50; i++) {
      speech.fill(frame);
      detector.push(frame);
    }
    expect(found).toEqual([]);
  });
});
