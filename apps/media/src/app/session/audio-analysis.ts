import { DtmfDetector, FRAME_MS, FRAME_SAMPLES, VoiceActivityDetector, mixInto, type DtmfDigit } from '@switchboard/media-dsp';
import type { AudioFrame } from '@switchboard/media-proto';
import type { EmitEvent } from './session-event';
import type { SpeakerDirectory } from './speaker-directory';

/** Speakers whose buffers have been absent this long (and who are silent) are forgotten. */
const FORGET_SPEAKER_MS = 30_000;
/** At most this many per-speaker detectors per call (a meeting has at most four unmixed buffers per frame). */
const MAX_TRACKED_SPEAKERS = 32;
/**
 * Where a speaker's noise floor starts: the platform sends a speaker's buffer only while they are active, so the
 * first buffer is usually speech already and cannot teach the floor (the mixed stream learns it from the call's start).
 */
const SPEAKER_INITIAL_FLOOR_DBFS = -65;
/** A key the platform reports within this long of the same key heard in the audio is the same press. */
const SAME_PRESS_MS = 300;

interface TrackedSpeaker {
  vad: VoiceActivityDetector;
  /** Stream time (ms) of the detector's first sample. */
  originMs: number;
  lastHeardMs: number;
}

/**
 * The listening half of a call's session: DTMF and voice activity on the mixed audio, voice activity per unmixed
 * speaker, the dominant speaker, each reported once as an event naming the participant. Stream time advances 20 ms
 * per audio frame. With unmixed audio the platform stops the mixed stream, so the mix is made here from the
 * speakers' buffers.
 */
export class AudioAnalysis {
  private readonly dtmf: DtmfDetector;
  private readonly mixedVad: VoiceActivityDetector;
  private readonly speakers = new Map<number, TrackedSpeaker>();
  private readonly mix = new Int16Array(FRAME_SAMPLES);
  private readonly silence = new Int16Array(FRAME_SAMPLES);
  /**
   * Frames are copied into these before analysis: a decoded buffer may start at an odd byte (no Int16Array view),
   * and a view would be an object per frame anyway. The detectors read synchronously, so one of each is enough.
   */
  private readonly mixedSamples = new PcmScratch();
  private readonly speakerSamples = new PcmScratch();
  private frames = 0;
  private dominantMsi: number | null | undefined;
  private lastKey: { digit: DtmfDigit; atMs: number } | undefined;
  private lastPlatformSequence = -1;

  constructor(
    private readonly directory: SpeakerDirectory,
    private readonly emit: EmitEvent,
    private readonly hooks: { onKey?: (digit: DtmfDigit) => void; onSpeech?: () => void } = {},
  ) {
    this.dtmf = new DtmfDetector({
      onEvent: (e) => {
        if (e.kind === 'start') this.key(e.digit, 'audio', e.startMs);
      },
    });
    this.mixedVad = new VoiceActivityDetector({
      onEvent: (e) => {
        this.emit({ type: e.kind, atMs: e.atMs, stream: 'mixed' });
        if (e.kind === 'speech-started') this.hooks.onSpeech?.();
      },
    });
  }

  /** The mix made from the last frame's unmixed buffers (valid when that frame had no mixed audio). */
  get lastMix(): Int16Array {
    return this.mix;
  }

  /** The caller is speaking in the mixed audio now (voice activity with its hangover). */
  get speaking(): boolean {
    return this.mixedVad.isSpeech;
  }

  /** Stream time of the next frame, in ms. */
  get nowMs(): number {
    return this.frames * FRAME_MS;
  }

  audio(frame: AudioFrame): void {
    const nowMs = this.nowMs;
    let mixed: Int16Array;
    if (frame.data.length > 0) {
      mixed = this.mixedSamples.load(frame.data);
    } else {
      this.mix.fill(0);
      for (const buffer of frame.unmixedBuffers) mixInto(this.mix, this.speakerSamples.load(buffer.data));
      mixed = this.mix;
    }
    this.dtmf.push(mixed);
    this.mixedVad.push(mixed);
    this.speakersHeard(frame, nowMs);
    this.frames++;
  }

  /** A key the media platform detected itself (out-of-band DTMF); the same press heard in the audio counts once. */
  platformTone(digit: DtmfDigit, sequenceId: number): void {
    if (sequenceId !== 0 && sequenceId <= this.lastPlatformSequence) return;
    this.lastPlatformSequence = sequenceId;
    this.key(digit, 'platform', this.nowMs);
  }

  /** The platform's dominant speaker; reported when it changes. */
  dominantSpeaker(msi: number | undefined): void {
    const next = msi ?? null;
    if (next === this.dominantMsi) return;
    this.dominantMsi = next;
    this.emit({ type: 'dominant-speaker', atMs: this.nowMs, speaker: next === null ? null : this.directory.speaker(next) });
  }

  /** Ends keys and speech still on at the end of the call. */
  flush(): void {
    this.dtmf.flush();
  }

  private key(digit: DtmfDigit, source: 'audio' | 'platform', atMs: number): void {
    const last = this.lastKey;
    this.lastKey = { digit, atMs };
    if (last && last.digit === digit && Math.abs(atMs - last.atMs) < SAME_PRESS_MS) return;
    this.emit({ type: 'dtmf', atMs, digit, source });
    this.hooks.onKey?.(digit);
  }

  private speakersHeard(frame: AudioFrame, nowMs: number): void {
    for (const buffer of frame.unmixedBuffers) {
      let speaker = this.speakers.get(buffer.speakerMsi);
      if (!speaker) {
        if (this.speakers.size >= MAX_TRACKED_SPEAKERS) this.forgetQuietest();
        speaker = this.track(buffer.speakerMsi, nowMs);
      }
      speaker.lastHeardMs = nowMs;
      speaker.vad.push(this.speakerSamples.load(buffer.data));
    }
    // A speaker the platform stops sending is silent: their detector hears silence so the hangover runs out.
    for (const [msi, speaker] of this.speakers) {
      if (speaker.lastHeardMs === nowMs) continue;
      speaker.vad.push(this.silence);
      if (!speaker.vad.isSpeech && nowMs - speaker.lastHeardMs > FORGET_SPEAKER_MS) this.speakers.delete(msi);
    }
  }

  private track(msi: number, nowMs: number): TrackedSpeaker {
    const speaker: TrackedSpeaker = {
      originMs: nowMs,
      lastHeardMs: nowMs,
      // The detector counts time from its own first sample; the speaker's origin puts it on the call's clock.
      vad: new VoiceActivityDetector({
        initialFloorDbfs: SPEAKER_INITIAL_FLOOR_DBFS,
        onEvent: (e) => this.emit({ type: e.kind, atMs: speaker.originMs + e.atMs, stream: 'speaker', speaker: this.directory.speaker(msi) }),
      }),
    };
    this.speakers.set(msi, speaker);
    return speaker;
  }

  private forgetQuietest(): void {
    let oldest: number | undefined;
    let oldestHeard = Infinity;
    for (const [msi, s] of this.speakers) {
      if (s.lastHeardMs < oldestHeard) {
        oldest = msi;
        oldestHeard = s.lastHeardMs;
      }
    }
    if (oldest !== undefined) this.speakers.delete(oldest);
  }
}

/** One frame's samples, reused: loading copies the wire bytes in (little-endian hosts: the bytes are the samples). */
class PcmScratch {
  private readonly samples = new Int16Array(FRAME_SAMPLES);
  private readonly bytes = new Uint8Array(this.samples.buffer);

  load(data: Uint8Array): Int16Array {
    this.bytes.set(data);
    return this.samples;
  }
}
