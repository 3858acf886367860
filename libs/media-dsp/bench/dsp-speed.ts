import { DTMF_ROW_HZ, DTMF_COLUMN_HZ, DtmfDetector, FRAME_MS, FRAME_SAMPLES, Resampler, SpeechLikeSource, VoiceActivityDetector, dtmfSequence, mixInto } from '../src';

export interface SpeedFigures {
  label: string;
  /** Median over the rounds. */
  microsecondsPerFrame: number;
  framesPerSecond: number;
  /** Processing time / audio time, on one core. */
  realTimeFactor: number;
}

export interface DspSpeed {
  audioSeconds: number;
  rounds: number;
  subjects: SpeedFigures[];
}

/** Module constants copied locally: an imported binding read in an inner loop may cost a property look-up each time. */
const N = FRAME_SAMPLES;

/**
 * The simplest detector that does not use Goertzel: a direct DFT of every 20 ms frame over all 161 bins, then the
 * strongest row and column bins (no other checks). It is what the Goertzel bank saves.
 */
class FullDftDetector {
  private readonly cos = new Float64Array(N);
  private readonly sin = new Float64Array(N);
  private readonly magnitude = new Float64Array(N / 2 + 1);
  private readonly rowBins = DTMF_ROW_HZ.map((f) => Math.round(f / 50));
  private readonly columnBins = DTMF_COLUMN_HZ.map((f) => Math.round(f / 50));
  keys = 0;

  constructor() {
    for (let n = 0; n < N; n++) {
      this.cos[n] = Math.cos((2 * Math.PI * n) / N);
      this.sin[n] = Math.sin((2 * Math.PI * n) / N);
    }
  }

  push(frame: Int16Array): void {
    for (let k = 0; k < this.magnitude.length; k++) {
      let re = 0;
      let im = 0;
      const cos = this.cos;
      const sin = this.sin;
      for (let n = 0, index = 0; n < N; n++) {
        re += frame[n] * cos[index];
        im -= frame[n] * sin[index];
        index += k;
        if (index >= N) index -= N;
      }
      this.magnitude[k] = re * re + im * im;
    }
    const row = Math.max(...this.rowBins.map((b) => this.magnitude[b]));
    const column = Math.max(...this.columnBins.map((b) => this.magnitude[b]));
    if (row > 1e9 && column > 1e9) this.keys++;
  }
}

/** Speech-like signal with a dialled sequence over it: what a detector meets on a call. */
function testAudio(seconds: number): Int16Array[] {
  const frames: Int16Array[] = [];
  const speech = new SpeechLikeSource(42);
  const keys = dtmfSequence('0123456789*#ABCD', { toneMs: 80, gapMs: 120 });
  for (let i = 0; i < (seconds * 1000) / FRAME_MS; i++) {
    const frame = new Int16Array(FRAME_SAMPLES);
    speech.fill(frame);
    const at = (i * FRAME_SAMPLES) % (4 * keys.length);
    if (at < keys.length) mixInto(frame, keys.subarray(at, at + FRAME_SAMPLES));
    frames.push(frame);
  }
  return frames;
}

interface Subject {
  label: string;
  /** Runs over every frame once, with state made before the clock starts. */
  prepare(): (frames: readonly Int16Array[]) => number;
}

const subjects: Subject[] = [
  {
    label: 'bare loop (reads every sample)',
    prepare: () => (frames) => {
      let sum = 0;
      for (const frame of frames) for (let i = 0; i < frame.length; i++) sum += frame[i];
      return sum;
    },
  },
  {
    label: 'DtmfDetector',
    prepare: () => {
      let events = 0;
      const detector = new DtmfDetector({ onEvent: () => events++ });
      return (frames) => {
        for (const frame of frames) detector.push(frame);
        return events;
      };
    },
  },
  {
    label: 'full-DFT detector (baseline)',
    prepare: () => {
      const detector = new FullDftDetector();
      return (frames) => {
        for (const frame of frames) detector.push(frame);
        return detector.keys;
      };
    },
  },
  {
    label: 'VoiceActivityDetector',
    prepare: () => {
      const vad = new VoiceActivityDetector();
      return (frames) => {
        let speech = 0;
        for (const frame of frames) if (vad.push(frame)) speech++;
        return speech;
      };
    },
  },
  {
    label: 'Resampler 48 kHz stereo → 16 kHz (per 20 ms of input)',
    prepare: () => {
      const resampler = new Resampler({ inputRate: 48000, channels: 2 });
      const input = new Int16Array(6 * FRAME_SAMPLES);
      const output = new Int16Array(resampler.maxOutputLength(input.length));
      return (frames) => {
        let written = 0;
        for (const frame of frames) {
          for (let i = 0; i < FRAME_SAMPLES; i++) input[6 * i] = input[6 * i + 1] = input[6 * i + 2] = input[6 * i + 3] = input[6 * i + 4] = input[6 * i + 5] = frame[i];
          written += resampler.process(input, output);
        }
        return written;
      };
    },
  },
];

/**
 * Each subject over the same frames, `rounds` times in turn (so a busier moment of the machine falls on all of them),
 * after one warm-up round; the median round counts.
 */
export function measureSpeed(audioSeconds: number, rounds: number, progress: (line: string) => void): DspSpeed {
  progress(`speed: ${audioSeconds} s of audio, ${rounds} rounds per subject`);
  const frames = testAudio(audioSeconds);
  const times = subjects.map(() => [] as number[]);
  let sink = 0;
  for (let round = -1; round < rounds; round++) {
    subjects.forEach((subject, s) => {
      const run = subject.prepare();
      const started = process.hrtime.bigint();
      sink += run(frames);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (round >= 0) times[s].push(ms);
    });
  }
  if (Number.isNaN(sink)) progress('unexpected NaN');
  return {
    audioSeconds,
    rounds,
    subjects: subjects.map((subject, s) => {
      const sorted = times[s].sort((a, b) => a - b);
      const ms = sorted[Math.floor(sorted.length / 2)];
      return {
        label: subject.label,
        microsecondsPerFrame: (ms * 1000) / frames.length,
        framesPerSecond: frames.length / (ms / 1000),
        realTimeFactor: ms / (audioSeconds * 1000),
      };
    }),
  };
}
