import { DTMF_DIGITS, DtmfDetector, FRAME_SAMPLES, SeededRandom, SpeechLikeSource, dtmfSequence, dtmfTone, msToSamples, withNoise, type DtmfEvent } from '../src';

/** One row of a quality table: a setting, and what share of the generated keys were read right. */
export interface QualityRow {
  setting: number;
  /** Keys read as the key that was sent (0-1), per column of the table. */
  detected: number[];
  /** Tones read as a key other than the one sent, over the whole row. */
  wrong: number;
}

export interface TalkOffFigures {
  levelDbfs: number;
  minutes: number;
  falseDetections: number;
  perHour: number;
  /** 5 ms analysis windows that held a key (a false detection needs six in a row). */
  keyWindows: number;
}

export interface DtmfQuality {
  frequencyError: QualityRow[];
  twist: QualityRow[];
  signalToNoise: QualityRow[];
  duration: QualityRow[];
  gap: QualityRow[];
  level: QualityRow[];
  /** Largest |reported - true| duration of 40-500 ms keys, in ms. */
  durationErrorMs: number;
  talkOff: TalkOffFigures[];
}

/** Ends found when `signal` is pushed in 20 ms frames. */
function tonesIn(signal: Int16Array): DtmfEvent[] {
  const found: DtmfEvent[] = [];
  const detector = new DtmfDetector({ onEvent: (e) => e.kind === 'end' && found.push(e) });
  for (let i = 0; i < signal.length; i += FRAME_SAMPLES) detector.push(signal.subarray(i, i + FRAME_SAMPLES));
  detector.flush();
  return found;
}

/** `tone` in silence, starting `offset` samples after 100 ms (the alignment to the frames varies with it). */
function inSilence(tone: Int16Array, offset: number): Int16Array {
  const out = new Int16Array(msToSamples(300) + tone.length);
  out.set(tone, msToSamples(100) + offset);
  return out;
}

/** Share of trials that read exactly `expected`, and how many read something else. */
function score(trials: { signal: Int16Array; expected: string }[]): { rate: number; wrong: number } {
  let right = 0;
  let wrong = 0;
  for (const { signal, expected } of trials) {
    const read = tonesIn(signal)
      .map((e) => e.digit)
      .join('');
    if (read === expected) right++;
    wrong += [...read].filter((digit) => !expected.includes(digit)).length;
  }
  return { rate: right / trials.length, wrong };
}

/** Every key, at a few alignments to the frame grid. */
const OFFSETS = [0, 37, 101, 163, 251];

function rowOf(setting: number, columns: ((digit: (typeof DTMF_DIGITS)[number], offset: number) => { signal: Int16Array; expected: string })[]): QualityRow {
  let wrong = 0;
  const detected = columns.map((make) => {
    const result = score(DTMF_DIGITS.flatMap((digit) => OFFSETS.map((offset) => make(digit, offset))));
    wrong += result.wrong;
    return result.rate;
  });
  return { setting, detected, wrong };
}

const key = (digit: string, signal: Int16Array, offset: number, present = true) => ({ signal: inSilence(signal, offset), expected: present ? digit : '' });

export function measureQuality(talkOffMinutes: number, progress: (line: string) => void): DtmfQuality {
  progress('quality: frequency error');
  const frequencyError = [-4, -3.5, -3, -2.5, -2, -1.5, 0, 1.5, 2, 2.5, 3, 3.5, 4].map((percent) => {
    const e = percent / 100;
    return rowOf(percent, [
      (d, o) => key(d, dtmfTone(d, { durationMs: 60, rowError: e, columnError: e }), o),
      (d, o) => key(d, dtmfTone(d, { durationMs: 60, rowError: e, columnError: -e }), o),
      (d, o) => key(d, dtmfTone(d, { durationMs: 60, rowError: e }), o),
      (d, o) => key(d, dtmfTone(d, { durationMs: 60, columnError: e }), o),
    ]);
  });
  progress('quality: twist');
  const twist = [-7, -6, -5, -4, -3, 0, 4, 7, 8, 9, 10, 11].map((twistDb) =>
    rowOf(twistDb, [
      (d, o) => key(d, dtmfTone(d, { durationMs: 60, twistDb }), o),
      (d, o) => key(d, dtmfTone(d, { durationMs: 60, twistDb, rowError: 0.015, columnError: -0.015 }), o),
    ]),
  );
  progress('quality: signal-to-noise');
  const random = new SeededRandom(1500);
  const signalToNoise = [3, 6, 9, 12, 15, 20, 30].map((snr) =>
    rowOf(snr, [
      (d, o) => key(d, withNoise(dtmfTone(d, { durationMs: 60 }), snr, random), o),
      (d, o) => key(d, withNoise(dtmfTone(d, { durationMs: 60, twistDb: 8 }), snr, random), o),
      (d, o) => key(d, withNoise(dtmfTone(d, { durationMs: 60, twistDb: -4 }), snr, random), o),
      (d, o) => key(d, withNoise(dtmfTone(d, { durationMs: 60, twistDb: 8, rowError: 0.015, columnError: 0.015 }), snr, random), o),
    ]),
  );
  progress('quality: durations and gaps');
  const duration = [20, 25, 28, 30, 32, 35, 38, 40, 45].map((ms) =>
    rowOf(ms, [(d, o) => key(d, dtmfTone(d, { durationMs: ms }), o), (d, o) => key(d, withNoise(dtmfTone(d, { durationMs: ms }), 15, random), o)]),
  );
  const gap = [5, 10, 15, 20, 25, 30, 35, 40, 50].map((ms) =>
    rowOf(ms, [
      (d, o) => ({ signal: inSilence(dtmfSequence(d + d, { toneMs: 50, gapMs: ms, leadMs: 0 }).subarray(0, msToSamples(100 + ms)), o), expected: d + d }),
      (d, o) => ({ signal: inSilence(withNoise(dtmfSequence(d + d, { toneMs: 50, gapMs: ms, leadMs: 0 }).subarray(0, msToSamples(100 + ms)), 15, random), o), expected: d + d }),
    ]),
  );
  progress('quality: levels');
  const level = [-60, -50, -47, -45, -44, -43, -40, -30, -20, -10, -6, -3].map((levelDbfs) =>
    rowOf(levelDbfs, [(d, o) => key(d, dtmfTone(d, { durationMs: 60, levelDbfs }), o), (d, o) => key(d, dtmfTone(d, { durationMs: 60, levelDbfs, twistDb: 8 }), o)]),
  );
  let durationErrorMs = 0;
  for (const ms of [40, 50, 70, 100, 200, 500]) {
    for (const digit of DTMF_DIGITS) {
      for (const offset of OFFSETS) {
        for (const e of tonesIn(inSilence(dtmfTone(digit, { durationMs: ms }), offset))) durationErrorMs = Math.max(durationErrorMs, Math.abs(e.durationMs - ms));
      }
    }
  }
  return { frequencyError, twist, signalToNoise, duration, gap, level, durationErrorMs, talkOff: measureTalkOff(talkOffMinutes, progress) };
}

/** Speech-like signal at three levels, a different voice (seed) every minute, through one detector per level. */
function measureTalkOff(minutes: number, progress: (line: string) => void): TalkOffFigures[] {
  const levels = [-30, -20, -10];
  const frame = new Int16Array(FRAME_SAMPLES);
  return levels.map((levelDbfs, l) => {
    const share = Math.max(1, Math.round(minutes / levels.length));
    progress(`quality: talk-off, ${share} min of speech-like signal at ${levelDbfs} dBFS`);
    let falseDetections = 0;
    const detector = new DtmfDetector({ onEvent: (e) => (e.kind === 'start' ? falseDetections++ : undefined) });
    for (let minute = 0; minute < share; minute++) {
      const speech = new SpeechLikeSource(1000 * l + minute, { levelDbfs });
      for (let i = 0; i < 60 * 50; i++) {
        speech.fill(frame);
        detector.push(frame);
      }
    }
    return { levelDbfs, minutes: share, falseDetections, perHour: (falseDetections * 60) / share, keyWindows: detector.keyWindows };
  });
}
