import { FRAME_BYTES, type DtmfDigit } from '@switchboard/media-dsp';
import { DtmfTone, MediaKind, type AudioFrame, type OutboundAudioFrame, type StreamCallRequest, type VideoFrame } from '@switchboard/media-proto';
import type { MediaSessionEvent, PlayCommand, RecordCommand } from '@switchboard/nats-contracts';
import type { MediaMetrics } from '../media-metrics';
import { AudioAnalysis } from './audio-analysis';
import { BoundedQueue } from './bounded-queue';
import type { FrameSubscriber } from './frame-subscriber';
import { OutboundAudio, type PacerClock } from './outbound-audio';
import { PromptPlayer, type PromptCompletion } from './prompt-player';
import type { LoadPrompt } from './prompt-source';
import { Recorder } from './recorder';
import { MessageRecording, RecordingBusyError } from './message-recording';
import type { OpenRecordingSink, RecordingGate, RecordingGrant, RecordingGrants } from './recording-gate';

/** The whole-call recorder's grants: `gate` passes the grants it may write under; `start`/`stop` take and give one back. */
export interface WholeCallRecording {
  gate: RecordingGate;
  openSink: OpenRecordingSink;
  /** Asks for the call's grant as the whole-call recorder; resolves once it is active, rejects with the refusal. */
  start?(callId: string): Promise<RecordingGrant>;
  /** Gives the call's grant back after the last track is closed. */
  stop?(callId: string): Promise<void>;
}

/** The whole call cannot be recorded on this pod: no storage, or recording-compliance refused the grant. */
export class CallRecordingRefused extends Error {
  override readonly name = 'CallRecordingRefused';
  constructor(
    readonly code: 'not-configured' | 'not-granted',
    message: string,
  ) {
    super(message);
  }
}
import type { SessionEventBody } from './session-event';
import { SpeakerDirectory, type RosterParticipant } from './speaker-directory';

/** 3 s of audio waiting to be analysed; beyond that the oldest is dropped (real time beats completeness). */
const INBOUND_CAPACITY = 150;
/** 1 s of audio the app sends ahead of playback; beyond that the app's stream is held (nothing it sends is lost). */
const APP_AUDIO_CAPACITY = 50;

const DTMF_DIGITS: Partial<Record<DtmfTone, DtmfDigit>> = {
  [DtmfTone.DTMF_TONE_0]: '0', [DtmfTone.DTMF_TONE_1]: '1', [DtmfTone.DTMF_TONE_2]: '2', [DtmfTone.DTMF_TONE_3]: '3',
  [DtmfTone.DTMF_TONE_4]: '4', [DtmfTone.DTMF_TONE_5]: '5', [DtmfTone.DTMF_TONE_6]: '6', [DtmfTone.DTMF_TONE_7]: '7',
  [DtmfTone.DTMF_TONE_8]: '8', [DtmfTone.DTMF_TONE_9]: '9', [DtmfTone.DTMF_TONE_STAR]: '*', [DtmfTone.DTMF_TONE_POUND]: '#',
  [DtmfTone.DTMF_TONE_A]: 'A', [DtmfTone.DTMF_TONE_B]: 'B', [DtmfTone.DTMF_TONE_C]: 'C', [DtmfTone.DTMF_TONE_D]: 'D',
};

export interface CallSessionOptions {
  callId: string;
  podName: string;
  publish: (event: MediaSessionEvent) => void;
  /** Outbound audio for the platform (the call's StreamCall). */
  sendAudio: (frame: OutboundAudioFrame) => void;
  loadPrompt: LoadPrompt;
  metrics: MediaMetrics;
  recording?: WholeCallRecording;
  /** The `record` verb: grants asked for as `recorder`, the message written through `openSink`. */
  messages?: { grants: RecordingGrants; openSink: OpenRecordingSink; recorder: string };
  /** Frames were dropped because analysis fell behind (told once per batch, with how many). */
  onFramesDropped?: (count: number) => void;
  clock?: PacerClock;
  now?: () => Date;
}

/**
 * One call's media on this pod: frames from the platform are queued (bounded), analysed (DTMF, speech on the mix and
 * per speaker, dominant speaker), recorded under the call's grant and fanned out to attached bots; prompts and the
 * audio bots send go back paced at 20 ms. Events name the participant through the roster.
 */
export class CallSession {
  readonly directory = new SpeakerDirectory();
  private readonly analysis: AudioAnalysis;
  private readonly player: PromptPlayer;
  private readonly appAudio: BoundedQueue<Buffer>;
  private readonly outbound: OutboundAudio;
  private readonly recorder: Recorder | undefined;
  private readonly inbound: BoundedQueue<StreamCallRequest>;
  private readonly subscribers = new Set<FrameSubscriber>();
  private message: MessageRecording | undefined;
  private draining = false;
  private ended = false;
  private droppedSinceReport = 0;

  constructor(private readonly options: CallSessionOptions) {
    const { metrics } = options;
    this.player = new PromptPlayer(options.loadPrompt, (c) => this.promptEnded(c), () => this.outbound.kick());
    this.analysis = new AudioAnalysis(this.directory, (e) => this.emit(e), {
      onKey: (digit) => {
        this.player.bargeIn('keys');
        this.message?.key(digit);
      },
      onSpeech: () => this.player.bargeIn('speech'),
    });
    this.appAudio = new BoundedQueue<Buffer>({ capacity: APP_AUDIO_CAPACITY, policy: 'refuse' });
    this.outbound = new OutboundAudio(this.player, this.appAudio, options.sendAudio, options.clock);
    this.recorder = options.recording
      ? new Recorder(options.callId, options.recording.gate, options.recording.openSink, this.directory, (outcome, n) => metrics.recorded(outcome, n))
      : undefined;
    this.inbound = new BoundedQueue<StreamCallRequest>({
      capacity: INBOUND_CAPACITY,
      policy: 'drop-oldest',
      // Only the newest frame of a video source is worth analysing or forwarding.
      coalesceKey: (r) => (r.video ? (isScreenSharing(r.video) ? 's' : `v${r.video.msi}`) : undefined),
      onDiscard: (r, why) => {
        metrics.queueDiscarded('inbound', r.audio ? 'audio' : r.video ? 'video' : 'event', why);
        if (why === 'dropped') this.droppedSinceReport++;
      },
    });
  }

  get callId(): string {
    return this.options.callId;
  }

  /** Takes a validated frame or platform event from the call's stream; it is processed soon after, in order. */
  receive(request: StreamCallRequest): void {
    if (this.ended) return;
    this.inbound.push(request);
    if (!this.draining) {
      this.draining = true;
      setImmediate(() => this.processInbound());
    }
  }

  /** Processes everything queued now (the stream ended, or a test wants the results at once). */
  processInbound(): void {
    this.draining = false;
    if (this.droppedSinceReport > 0) {
      this.options.onFramesDropped?.(this.droppedSinceReport);
      this.droppedSinceReport = 0;
    }
    for (let r = this.inbound.shift(); r !== undefined; r = this.inbound.shift()) this.process(r);
  }

  play(command: PlayCommand): number {
    const ahead = this.player.play(command);
    this.outbound.kick();
    return ahead;
  }

  /**
   * Starts recording a message (see MessageRecording); its outcome is the `record-completed` event. Throws
   * RecordingBusyError while another runs. A pod without grants answers `not-granted` at once.
   */
  record(command: RecordCommand): void {
    if (this.message && !this.message.done) throw new RecordingBusyError(`recording ${this.message.id} is still running on this call; cancel it or wait for record-completed`);
    const messages = this.options.messages;
    if (!messages || this.ended) {
      this.emit({ type: 'record-completed', atMs: this.analysis.nowMs, id: command.id, reason: 'not-granted', error: this.ended ? 'the call has ended' : 'recording is not configured on this media pod' });
      return;
    }
    const { metrics } = this.options;
    this.message = new MessageRecording(command, {
      ...messages,
      callId: this.options.callId,
      player: this.player,
      participants: () => this.directory.participants(),
      count: (outcome, n) => metrics.recorded(`message-${outcome}`, n),
      completed: (completion) => this.emit({ type: 'record-completed', atMs: this.analysis.nowMs, ...completion }),
    });
    this.message.start();
  }

  /**
   * Records the whole call from now to its end under a grant the pod holds as the call's recorder (the `record-call`
   * verb); resolves with the grant once Graph accepted `recording`. Asked again while the grant holds, it returns it.
   */
  async recordCall(): Promise<RecordingGrant> {
    const { recording, callId } = this.options;
    if (!recording?.start || !this.recorder) throw new CallRecordingRefused('not-configured', 'recording is not configured on this media pod');
    if (this.ended) throw new CallRecordingRefused('not-granted', 'the call has ended');
    const held = recording.gate.grantFor(callId);
    if (held?.valid) return held;
    try {
      return await recording.start(callId);
    } catch (error) {
      throw new CallRecordingRefused('not-granted', (error as Error).message);
    }
  }

  /** Cancels a prompt or the recording by id, or everything without one; returns the ids cancelled. */
  cancel(id?: string): string[] {
    const cancelled = this.player.cancel(id);
    const message = this.message;
    if (message && !message.done && (id === undefined || id === message.id)) {
      void message.cancel();
      cancelled.push(message.id);
    }
    return cancelled;
  }

  /** Audio a bot sends into the call; resolves once it is queued (waits while a second of it is already queued). */
  async sendAudio(frame: Buffer): Promise<void> {
    while (!this.ended && !this.appAudio.push(frame)) await this.appAudio.whenRoom();
    this.outbound.kick();
  }

  participantsUpdated(participants: readonly RosterParticipant[]): void {
    this.directory.update(participants);
  }

  /** Attaches a bot's stream; false when the session has already ended. */
  subscribe(subscriber: FrameSubscriber): () => void {
    if (this.ended) {
      subscriber.ended();
      return () => undefined;
    }
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /** The call's stream ended: flushes what is queued, ends prompts and recording, and reports how it ended. */
  async end(outcome: string, failure?: string): Promise<void> {
    if (this.ended) return;
    this.processInbound();
    this.ended = true;
    this.analysis.flush();
    this.outbound.stop();
    this.player.cancel();
    this.appAudio.clear();
    for (const s of this.subscribers) s.ended();
    this.subscribers.clear();
    await Promise.all([this.message?.callEnded(), this.closeWholeCallRecording()]);
    if (failure !== undefined) this.emit({ type: 'session-failed', atMs: this.analysis.nowMs, error: failure });
    else this.emit({ type: 'session-ended', atMs: this.analysis.nowMs, outcome });
  }

  /** Closes every track, then gives the whole-call grant back (compliance sends `notRecording` after the last write). */
  private async closeWholeCallRecording(): Promise<void> {
    if (!this.recorder) return;
    await this.recorder.close();
    const { recording, callId } = this.options;
    if (recording?.gate.grantFor(callId)) await recording.stop?.(callId).catch(() => undefined);
  }

  /** Publishes an event with the call's envelope. */
  emit(event: SessionEventBody): void {
    const full = { ...event, callId: this.options.callId, podName: this.options.podName, occurredAt: (this.options.now?.() ?? new Date()).toISOString() } as MediaSessionEvent;
    this.options.metrics.eventPublished(event.type);
    this.options.publish(full);
  }

  private process(request: StreamCallRequest): void {
    if (request.audio) {
      const atMs = this.analysis.nowMs;
      this.analysis.audio(request.audio);
      this.recorder?.record(request.audio);
      if (this.message && !this.message.done) this.message.frame(this.mixedAudio(request.audio), request.audio.timestampTicks, this.analysis.speaking);
      if (this.subscribers.size > 0) this.fanOutAudio(request.audio, atMs);
    } else if (request.video) {
      this.fanOutVideo(request.video, isScreenSharing(request.video));
    } else if (request.tone) {
      const digit = DTMF_DIGITS[request.tone.tone];
      if (digit) this.analysis.platformTone(digit, request.tone.sequenceId);
    } else if (request.dominantSpeakerChanged) {
      this.analysis.dominantSpeaker(request.dominantSpeakerChanged.speakerMsi);
    }
  }

  /** The frame's mixed audio: as sent, or mixed here from the speakers' buffers when the platform sent only those. */
  private mixedAudio(frame: AudioFrame): Buffer {
    return frame.data.length > 0 ? frame.data : Buffer.from(this.analysis.lastMix.buffer.slice(0, FRAME_BYTES));
  }

  private fanOutAudio(frame: AudioFrame, atMs: number): void {
    let mixed: Buffer | undefined;
    for (const s of this.subscribers) {
      if (s.selection.mixedAudio) {
        mixed ??= this.mixedAudio(frame);
        s.deliver({ mixedAudio: { data: mixed, timestampTicks: frame.timestampTicks, speakerMsi: 0, participantId: '', displayName: '', atMs } });
      }
      if (s.selection.speakerAudio) {
        for (const b of frame.unmixedBuffers) {
          const who = this.directory.speaker(b.speakerMsi);
          s.deliver({
            speakerAudio: {
              data: b.data,
              timestampTicks: b.originalSenderTimestampTicks || frame.timestampTicks,
              speakerMsi: b.speakerMsi,
              participantId: who.participantId ?? '',
              displayName: who.displayName ?? '',
              atMs,
            },
          });
        }
      }
    }
  }

  private fanOutVideo(frame: VideoFrame, screenSharing: boolean): void {
    for (const s of this.subscribers) {
      if (screenSharing) {
        if (s.selection.screenSharing) s.deliver({ screenSharing: frame });
        continue;
      }
      const participant = this.directory.speaker(frame.msi).participantId;
      if (s.selection.videoMsis.has(frame.msi) || (participant !== undefined && s.selection.videoParticipants.has(participant))) s.deliver({ video: frame });
    }
  }

  private promptEnded(completion: PromptCompletion): void {
    this.options.metrics.promptEnded(completion.reason);
    this.emit({ type: 'prompt-completed', atMs: this.analysis.nowMs, ...completion });
  }
}

const isScreenSharing = (frame: VideoFrame): boolean => frame.kind === MediaKind.MEDIA_KIND_SCREEN_SHARING;
