import { INT16_MAX, SAMPLE_RATE, samplesToMs } from './pcm';

export interface VoiceActivityEvent {
  kind: 'speech-started' | 'speech-stopped';
  /** Stream time of the event, from the first sample pushed: where speech began, or where the hangover ran out. */
  atMs: number;
}

export interface VoiceActivityOptions {
  sampleRate?: number;
  /** How far above the noise floor a frame counts as speech, in dB. Default 9. */
  thresholdDb?: number;
  /** Frames quieter than this are never speech, in dBFS. Default -55. */
  minSpeechDbfs?: number;
  /** Speech must last this long before `speech-started`. Default 40 ms. */
  onsetMs?: number;
  /** Speech continues this long after the last loud frame (bridges the pauses inside words). Default 300 ms. */
  hangoverMs?: number;
  /** How fast the noise floor rises when frames are louder than it, in dB per second. Default 3. */
  floorRiseDbPerSecond?: number;
  /** The noise floor before anything is heard, in dBFS. Default: the level of the first frame. */
  initialFloorDbfs?: number;
  onEvent?: (event: VoiceActivityEvent) => void;
}

/**
 * Energy-based voice activity for one stream, decided per frame. The noise floor follows quiet frames at once and
 * rises slowly under loud ones, so steady noise is learnt and speech is not; a frame is loud when it is `thresholdDb`
 * above the floor. Speech starts after `onsetMs` of loud frames and stops after `hangoverMs` without one.
 */
export class VoiceActivityDetector {
  private readonly sampleRate: number;
  private readonly thresholdDb: number;
  private readonly minSpeechDbfs: number;
  private readonly onsetSamples: number;
  private readonly hangoverSamples: number;
  private readonly riseDbPerSample: number;
  private readonly onEvent: (event: VoiceActivityEvent) => void;
  private floorDbfs: number | undefined;
  private samples = 0;
  private loudRun = 0;
  private loudRunStart = 0;
  private sinceLoud = 0;
  private speaking = false;

  constructor(options: VoiceActivityOptions = {}) {
    this.sampleRate = options.sampleRate ?? SAMPLE_RATE;
    this.thresholdDb = options.thresholdDb ?? 9;
    this.minSpeechDbfs = options.minSpeechDbfs ?? -55;
    this.onsetSamples = ((options.onsetMs ?? 40) * this.sampleRate) / 1000;
    this.hangoverSamples = ((options.hangoverMs ?? 300) * this.sampleRate) / 1000;
    this.riseDbPerSample = (options.floorRiseDbPerSecond ?? 3) / this.sampleRate;
    this.floorDbfs = options.initialFloorDbfs;
    this.onEvent = options.onEvent ?? (() => undefined);
  }

  /** True between `speech-started` and `speech-stopped`. */
  get isSpeech(): boolean {
    return this.speaking;
  }

  /** The current noise-floor estimate in dBFS. */
  get noiseFloorDbfs(): number | undefined {
    return this.floorDbfs;
  }

  /** Decides one frame (any length; 20 ms on the media platform) and returns whether speech is on after it. */
  push(frame: Int16Array): boolean {
    const n = frame.length;
    if (n === 0) return this.speaking;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += frame[i] * frame[i];
    const level = 10 * Math.log10(sum / n / ((INT16_MAX * INT16_MAX) / 2) + 1e-12);
    const floor = this.floorDbfs ?? level;
    const loud = level >= this.minSpeechDbfs && level >= floor + this.thresholdDb;
    // The floor drops to quiet frames at once and creeps up under loud ones.
    this.floorDbfs = level < floor ? level : Math.min(level, floor + this.riseDbPerSample * n);
    const frameStart = this.samples;
    this.samples += n;

    if (loud) {
      if (this.loudRun === 0) this.loudRunStart = frameStart;
      this.loudRun += n;
      this.sinceLoud = 0;
      if (!this.speaking && this.loudRun >= this.onsetSamples) {
        this.speaking = true;
        this.onEvent({ kind: 'speech-started', atMs: samplesToMs(this.loudRunStart, this.sampleRate) });
      }
    } else {
      this.loudRun = 0;
      this.sinceLoud += n;
      if (this.speaking && this.sinceLoud >= this.hangoverSamples) {
        this.speaking = false;
        this.onEvent({ kind: 'speech-stopped', atMs: samplesToMs(this.samples, this.sampleRate) });
      }
    }
    return this.speaking;
  }
}
