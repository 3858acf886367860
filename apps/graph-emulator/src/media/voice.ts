import { type Tone, toneToDigit } from '@switchboard/graph-models';
import { type DtmfDigit, FRAME_SAMPLES, SAMPLE_RATE, SeededRandom, SpeechLikeSource, dtmfSequence, isDtmfDigit } from '@switchboard/media-dsp';

/** A key as a phone sends it: 100 ms of tone at about −10 dBFS per tone, then 100 ms of silence. */
const KEY_TONE_MS = 100;
const KEY_GAP_MS = 100;
const KEY_LEVEL_DBFS = -10;
/** Comfort noise while the person is quiet: audible to an energy meter, far below any speech or DTMF threshold. */
const COMFORT_NOISE_RMS = 3;
/** Keys waiting to be sent (a person cannot queue more than a short burst). */
const MAX_QUEUED_KEYS = 64;

/**
 * One second of comfort noise made once and read in a loop (each voice from its own place): drawing a Gaussian
 * sample per sample would cost more than the speech synthesis.
 */
const COMFORT_NOISE = (() => {
  const random = new SeededRandom(0x5eed);
  return Int16Array.from({ length: SAMPLE_RATE }, () => Math.round(COMFORT_NOISE_RMS * random.gaussian()));
})();

const keyAudio = new Map<DtmfDigit, Int16Array>();
/** Each key's samples are made once and shared by every voice. */
function keySamples(digit: DtmfDigit): Int16Array {
  let samples = keyAudio.get(digit);
  if (!samples) {
    samples = dtmfSequence(digit, { toneMs: KEY_TONE_MS, gapMs: KEY_GAP_MS, levelDbfs: KEY_LEVEL_DBFS, leadMs: 0 });
    keyAudio.set(digit, samples);
  }
  return samples;
}

/**
 * One simulated person's microphone, 20 ms at a time: keys they press (real DTMF), speech while they talk (a
 * speech-like voice of their own), comfort noise otherwise. Keys are sent whole and in order; speech waits for them.
 */
export class Voice {
  private readonly speech: SpeechLikeSource;
  private noiseAt: number;
  private readonly keys: Int16Array[] = [];
  private keyOffset = 0;
  talking = false;
  keysDropped = 0;

  constructor(seed: number) {
    this.speech = new SpeechLikeSource(seed, { levelDbfs: -20 });
    this.noiseAt = Math.floor(new SeededRandom(seed).next() * COMFORT_NOISE.length);
  }

  press(tone: Tone): void {
    const digit = toneToDigit(tone).toUpperCase();
    if (!isDtmfDigit(digit) || this.keys.length >= MAX_QUEUED_KEYS) {
      this.keysDropped += 1;
      return;
    }
    this.keys.push(keySamples(digit));
  }

  /** Whether the person makes a sound a listener would call active (keys or speech). */
  get active(): boolean {
    return this.keys.length > 0 || this.talking;
  }

  /** Writes the next frame into `out` (FRAME_SAMPLES long); returns whether it carries keys or speech. */
  fill(out: Int16Array): boolean {
    if (this.keys.length > 0) {
      let at = 0;
      while (at < FRAME_SAMPLES && this.keys.length > 0) {
        const key = this.keys[0];
        const n = Math.min(FRAME_SAMPLES - at, key.length - this.keyOffset);
        out.set(key.subarray(this.keyOffset, this.keyOffset + n), at);
        at += n;
        this.keyOffset += n;
        if (this.keyOffset === key.length) {
          this.keys.shift();
          this.keyOffset = 0;
        }
      }
      if (at < FRAME_SAMPLES) this.quiet(out, at);
      return true;
    }
    if (this.talking) {
      this.speech.fill(out);
      return true;
    }
    this.quiet(out, 0);
    return false;
  }

  private quiet(out: Int16Array, from: number): void {
    let at = from;
    while (at < out.length) {
      const n = Math.min(out.length - at, COMFORT_NOISE.length - this.noiseAt);
      out.set(COMFORT_NOISE.subarray(this.noiseAt, this.noiseAt + n), at);
      at += n;
      this.noiseAt = (this.noiseAt + n) % COMFORT_NOISE.length;
    }
  }
}
