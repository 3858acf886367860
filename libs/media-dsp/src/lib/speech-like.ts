import { INT16_MAX, SAMPLE_RATE, saturate16 } from './pcm';
import { SeededRandom } from './random';

/** Vowel formants (F1, F2, F3 in Hz) of an adult speaker. */
const VOWELS: readonly (readonly [number, number, number])[] = [
  [270, 2290, 3010],
  [390, 1990, 2550],
  [530, 1840, 2480],
  [660, 1720, 2410],
  [730, 1090, 2440],
  [570, 840, 2410],
  [440, 1020, 2240],
  [300, 870, 2240],
  [490, 1350, 1690],
  [640, 1190, 2390],
];
const BANDWIDTHS = [80, 110, 160] as const;
/** Formant coefficients are recomputed every this many samples while they glide. */
const COEFFICIENT_STEP = 32;

/** One segment: a syllable (optional noise onset, then a voiced vowel gliding to the next) or a pause. */
interface Segment {
  length: number;
  onset: number;
  voiced: boolean;
  gain: number;
  f0From: number;
  f0To: number;
  from: readonly number[];
  to: readonly number[];
}

/**
 * The synthesiser without level calibration: a glottal pulse train with varying pitch (intonation, jitter) and
 * noise onsets, through three formant resonators gliding between vowels, under a syllable envelope with pauses.
 */
class FormantVoice {
  private readonly random: SeededRandom;
  private segment!: Segment;
  private position = 0;
  private speakerF0 = 0;
  private speakerLeft = 0;
  private glottalPhase = 0;
  private tilt1 = 0;
  private tilt2 = 0;
  private readonly y1 = new Float64Array(3);
  private readonly y2 = new Float64Array(3);
  private readonly a = new Float64Array(3);
  private readonly b1 = new Float64Array(3);
  private readonly b2 = new Float64Array(3);
  private vowel: readonly number[];

  constructor(seed: number, private readonly sampleRate: number) {
    this.random = new SeededRandom(seed);
    this.vowel = this.pickVowel();
    this.nextSegment();
  }

  next(): number {
    if (this.position >= this.segment.length) this.nextSegment();
    const s = this.segment;
    const t = this.position++ / s.length;
    if (s.gain === 0) return 0;
    if (this.position % COEFFICIENT_STEP === 1) this.setFormants(s, t);
    let excitation: number;
    if (!s.voiced || this.position <= s.onset) {
      excitation = this.random.gaussian() * 0.15;
    } else {
      const f0 = (s.f0From + (s.f0To - s.f0From) * t) * (1 + 0.01 * this.random.gaussian());
      this.glottalPhase += f0 / this.sampleRate;
      excitation = 0;
      if (this.glottalPhase >= 1) {
        this.glottalPhase -= 1;
        excitation = 1;
      }
      // Two one-pole low-passes: the glottal spectrum falls about 12 dB per octave.
      this.tilt1 = 0.96 * this.tilt1 + excitation;
      this.tilt2 = 0.96 * this.tilt2 + this.tilt1;
      excitation = this.tilt2 * 0.01;
    }
    let y = excitation;
    for (let k = 0; k < 3; k++) {
      const out = this.a[k] * y + this.b1[k] * this.y1[k] + this.b2[k] * this.y2[k];
      this.y2[k] = this.y1[k];
      this.y1[k] = out;
      y = out;
    }
    // Raised-cosine syllable envelope.
    return y * s.gain * 0.5 * (1 - Math.cos(2 * Math.PI * t));
  }

  private setFormants(s: Segment, t: number): void {
    for (let k = 0; k < 3; k++) {
      const f = s.from[k] + (s.to[k] - s.from[k]) * t;
      const r = Math.exp((-Math.PI * BANDWIDTHS[k]) / this.sampleRate);
      const theta = (2 * Math.PI * f) / this.sampleRate;
      this.b1[k] = 2 * r * Math.cos(theta);
      this.b2[k] = -r * r;
      // Unit gain at the resonance.
      this.a[k] = (1 - r) * Math.sqrt(1 - 2 * r * Math.cos(2 * theta) + r * r);
    }
  }

  private pickVowel(): readonly number[] {
    const base = VOWELS[Math.floor(this.random.next() * VOWELS.length)];
    return base.map((f) => f * this.random.between(0.9, 1.1));
  }

  private nextSegment(): void {
    const r = this.random;
    if (this.speakerLeft <= 0) {
      this.speakerF0 = r.between(95, 230);
      this.speakerLeft = Math.round(r.between(2, 6) * this.sampleRate);
    }
    const pause = r.next() < 0.25;
    const length = Math.round((pause ? r.between(0.05, 0.4) : r.between(0.12, 0.32)) * this.sampleRate);
    this.speakerLeft -= length;
    const from = this.vowel;
    const to = this.pickVowel();
    this.vowel = to;
    const swing = r.between(-0.25, 0.25);
    this.segment = {
      length,
      onset: r.next() < 0.5 ? Math.round(r.between(0.02, 0.06) * this.sampleRate) : 0,
      voiced: r.next() < 0.9,
      gain: pause ? 0 : 10 ** (r.between(-10, 6) / 20),
      f0From: this.speakerF0 * (1 + swing),
      f0To: this.speakerF0 * (1 - swing),
      from,
      to,
    };
    this.position = 0;
  }
}

/**
 * A deterministic speech-like signal for talk-off tests and the emulator's talking people: voiced syllables with
 * moving pitch and formants, noise onsets and pauses, at `levelDbfs` (RMS over the whole signal, default -20).
 * The same seed gives the same samples.
 */
export class SpeechLikeSource {
  private readonly voice: FormantVoice;
  private readonly scale: number;

  constructor(seed: number, options: { levelDbfs?: number; sampleRate?: number } = {}) {
    const sampleRate = options.sampleRate ?? SAMPLE_RATE;
    // Calibrate the level on the first seconds of the same voice.
    const probe = new FormantVoice(seed, sampleRate);
    let power = 0;
    const n = 5 * sampleRate;
    for (let i = 0; i < n; i++) power += probe.next() ** 2;
    const target = (INT16_MAX / Math.SQRT2) * 10 ** ((options.levelDbfs ?? -20) / 20);
    this.scale = target / Math.sqrt(power / n);
    this.voice = new FormantVoice(seed, sampleRate);
  }

  /** Writes the next samples into `out`. */
  fill(out: Int16Array, start = 0, end = out.length): void {
    for (let i = start; i < end; i++) out[i] = saturate16(this.voice.next() * this.scale);
  }
}
