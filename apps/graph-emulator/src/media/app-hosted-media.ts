import { performance } from 'node:perf_hooks';
import type { MediaConfig, Tone } from '@switchboard/graph-models';
import { FRAME_SAMPLES } from '@switchboard/media-dsp';
import { type StreamCallResponse, dtmfToneToJSON, speechStateToJSON } from '@switchboard/media-proto';
import type { Logger } from 'pino';
import { type CallRecord, type WireResultInfo, resultInfo } from '../call-record';
import { type Speaker, TICKS_PER_FRAME, newSpeaker, nextAudioFrame } from './audio-frames';
import { FrameClock } from './frame-clock';
import { HeardAudio, type HeardView } from './heard-audio';
import { type MediaBlob, mediaBlobOf, parseMediaBlob, streamAddress } from './media-blob';
import { MediaStream, type StreamEnd } from './media-stream';
import { VIDEO_EVERY_AUDIO_FRAMES, cameraFrame } from './video-frames';
import { Voice } from './voice';

export interface AppHostedMediaOptions {
  /** Host of every pod's StreamCall (`{pod}` = pod name) instead of the host in the blob; the port stays the blob's. */
  mediaHost?: string;
  /** How long a call lives on after its stream failed before it ends (Graph notices a dead media endpoint late). */
  failureGraceMs: number;
  logger?: Logger;
}

/** What the media platform does to the call it carries. */
export interface MediaCallHooks {
  /** The stream is open: the people on the call can be heard now (a script's keys may go). */
  opened(call: CallRecord): void;
  /** The call's media failed: end the call with this result (a `terminated` notification). */
  fail(call: CallRecord, result: WireResultInfo): void;
}

/** Media failures as Graph reports them (contract §1.3). */
const MEDIA_ENDED = {
  neverConnected: (why: string) => resultInfo(500, 1005, `The bot's media platform failed to connect: ${why}`),
  lost: (why: string) => resultInfo(410, 301005, `Media connectivity to the bot was lost: ${why}`),
};

/** In a meeting the simulated people take turns: each talks for most of a turn, then pauses. */
const TURN_FRAMES = 100;
const TALK_FRAMES = 75;
const MAX_EVENTS = 200;

type SessionState = 'connecting' | 'open' | 'ended' | 'failed';

interface MediaEventSeen {
  atMs: number;
  type: string;
  detail: Record<string, unknown>;
}

interface Session {
  call: CallRecord;
  blob: MediaBlob;
  target: string;
  state: SessionState;
  stream: MediaStream;
  startedAt: number;
  /** The clock's frame when the stream opened: timestamps count from it. */
  firstFrame?: number;
  speakers: Map<string, Speaker>;
  mix: Int16Array;
  dominantMsi?: number;
  heard: HeardAudio;
  events: MediaEventSeen[];
  endedReason?: string;
  failTimer?: NodeJS.Timeout;
}

export interface CallMediaView extends HeardView {
  callId: string;
  mediaCallId: string;
  pod: string;
  streamTarget: string;
  state: SessionState;
  framesSent: number;
  framesDropped: number;
  /** What the pod reported back: its media events (DTMF, speech, dominant speaker) and stream errors, in order. */
  events: MediaEventSeen[];
  endedReason: string | null;
}

/**
 * The emulator as Teams' real-time media platform for app-hosted calls: it opens `StreamCall` to the pod named by
 * the call's blob once the call is established, sends each simulated person's audio every 20 ms on one clock for
 * all calls, keeps what the bot sends back, ends the stream when the call ends, and ends the call when its stream
 * fails.
 */
export class AppHostedMedia {
  private readonly sessions = new Map<string, Session>();
  /** Sessions whose stream is open: the ones the clock sends frames for. */
  private readonly streaming = new Set<Session>();
  private readonly clock = new FrameClock();
  private readonly onFrame = (frame: number) => this.frame(frame);

  constructor(
    private readonly options: AppHostedMediaOptions,
    private readonly hooks: MediaCallHooks,
  ) {}

  /** Refuses (400) an app-hosted configuration whose blob the platform cannot use; service-hosted passes. */
  check(mediaConfig: MediaConfig | undefined): void {
    const blob = mediaBlobOf(mediaConfig);
    if (blob !== undefined) parseMediaBlob(blob);
  }

  isAppHosted(call: CallRecord): boolean {
    return mediaBlobOf(call.mediaConfig) !== undefined;
  }

  /** The call is established: open its stream (once). */
  start(call: CallRecord): void {
    const raw = mediaBlobOf(call.mediaConfig);
    if (raw === undefined || this.sessions.has(call.id)) return;
    const blob = parseMediaBlob(raw);
    const target = streamAddress(blob, this.options.mediaHost);
    const open = { callId: blob.callId, settings: blob.settings };
    // The handlers run later, on the stream's events, when `session` is set.
    const stream = new MediaStream(target, open, {
      response: (response) => this.response(session, response),
      ended: (end) => this.streamEnded(session, end),
    });
    const session: Session = {
      call,
      blob,
      target,
      state: 'connecting',
      startedAt: performance.now(),
      speakers: new Map(),
      mix: new Int16Array(FRAME_SAMPLES),
      heard: new HeardAudio(),
      events: [],
      stream,
    };
    this.sessions.set(call.id, session);
    // Voices are made now, not on the clock's first tick: each one calibrates its level on seconds of samples.
    this.speakersOf(session);
    this.options.logger?.info({ callId: call.id, mediaCallId: blob.callId, pod: blob.podName, target }, 'media stream opening');
  }

  /** The call ended: close its stream cleanly. */
  stop(call: CallRecord): void {
    const session = this.sessions.get(call.id);
    clearTimeout(session?.failTimer);
    if (!session || session.state === 'ended' || session.state === 'failed') return;
    session.state = 'ended';
    session.endedReason ??= 'the call ended';
    session.stream.end();
    this.setStreaming(session, false);
  }

  stopAll(): void {
    for (const session of this.sessions.values()) this.stop(session.call);
    this.clock.stop();
  }

  /** Whether the people on the call are heard now (its stream is open). */
  listening(call: CallRecord): boolean {
    return this.sessions.get(call.id)?.state === 'open';
  }

  /** A key the person presses on an app-hosted call becomes DTMF in their audio; false for other calls. */
  press(call: CallRecord, tone: Tone): boolean {
    if (!this.isAppHosted(call)) return false;
    this.voiceOf(call, call.peerParticipantId)?.press(tone);
    return true;
  }

  /** The person starts or stops talking on an app-hosted call; false for other calls. */
  speech(call: CallRecord, talking: boolean): boolean {
    if (!this.isAppHosted(call)) return false;
    const voice = this.voiceOf(call, call.peerParticipantId);
    if (voice) voice.talking = talking;
    return true;
  }

  view(call: CallRecord): CallMediaView | undefined {
    const session = this.sessions.get(call.id);
    if (!session) return undefined;
    return {
      callId: call.id,
      mediaCallId: session.blob.callId,
      pod: session.blob.podName,
      streamTarget: session.target,
      state: session.state,
      framesSent: session.stream.framesSent,
      framesDropped: session.stream.framesDropped,
      ...session.heard.view(),
      events: session.events.map((e) => ({ ...e })),
      endedReason: session.endedReason ?? null,
    };
  }

  // ---- internals ----------------------------------------------------------------------------

  private voiceOf(call: CallRecord, participantId: string): Voice | undefined {
    const session = this.sessions.get(call.id);
    if (!session) return undefined;
    this.speakersOf(session);
    return session.speakers.get(participantId)?.voice;
  }

  /** The people on the call (not the bot), as speakers with their MSI; each keeps one voice for the call. */
  private speakersOf(session: Session): Speaker[] {
    const speakers: Speaker[] = [];
    for (const p of session.call.participants.values()) {
      if (p.isBot) continue;
      let speaker = session.speakers.get(p.id);
      if (!speaker) {
        const msi = Number(p.sourceId);
        speaker = newSpeaker(msi, new Voice(msi * 7919 + session.speakers.size));
        session.speakers.set(p.id, speaker);
      }
      speakers.push(speaker);
    }
    return speakers;
  }

  private frame(frame: number): void {
    for (const session of this.streaming) {
      if (session.firstFrame === undefined) continue;
      try {
        this.sendFrame(session, frame - session.firstFrame);
      } catch (err) {
        // One call's broken stream must not stop the clock every call shares; its own end is reported by the stream.
        this.options.logger?.warn({ callId: session.call.id, err }, 'media frame not sent');
      }
    }
  }

  private sendFrame(session: Session, n: number): void {
    const speakers = this.speakersOf(session);
    if (session.call.group) this.takeTurns(speakers, n);
    const ticks = BigInt(n) * TICKS_PER_FRAME;
    const { frame: audio, active } = nextAudioFrame(speakers, ticks, session.blob.settings.receiveUnmixedAudio, session.mix);
    session.stream.send({ audio });
    if (n % VIDEO_EVERY_AUDIO_FRAMES === 0) this.sendVideo(session, speakers, n, ticks);
    if (session.call.group && active.length > 0 && active[0] !== session.dominantMsi) {
      session.dominantMsi = active[0];
      session.stream.send({ dominantSpeakerChanged: { speakerMsi: active[0] } });
    }
  }

  /**
   * Camera frames for each video subscription whose MSI is a person with a camera on: everyone in a meeting, the
   * peer of a call that requested video. A person's video is subscribed by their roster MSI.
   */
  private sendVideo(session: Session, speakers: Speaker[], n: number, ticks: bigint): void {
    const call = session.call;
    if (!call.group && !call.requestedModalities.includes('video')) return;
    for (const subscription of session.blob.settings.videoSubscriptions) {
      if (speakers.some((s) => s.msi === subscription.msi)) session.stream.send({ video: cameraFrame(subscription, n, ticks) });
    }
  }

  /** Meetings: speaker k talks during turns k, k + n, … (most of each turn), so the dominant speaker changes. */
  private takeTurns(speakers: Speaker[], n: number): void {
    if (speakers.length === 0) return;
    const turn = Math.floor(n / TURN_FRAMES);
    speakers.forEach((s, i) => {
      s.voice.talking = turn % speakers.length === i && n % TURN_FRAMES < TALK_FRAMES;
    });
  }

  private response(session: Session, response: StreamCallResponse): void {
    const atMs = Math.round(performance.now() - session.startedAt);
    if (response.opened) {
      if (session.state !== 'connecting') return;
      session.state = 'open';
      session.firstFrame = this.clock.frame;
      session.startedAt = performance.now();
      this.setStreaming(session, true);
      this.options.logger?.info({ callId: session.call.id, pod: response.opened.podName }, 'media stream open');
      this.hooks.opened(session.call);
    } else if (response.audio) {
      session.heard.add(response.audio.data, response.audio.promptId, atMs);
    } else if (response.event) {
      const e = response.event;
      if (e.dtmf) this.note(session, atMs, 'dtmf', { tone: dtmfToneToJSON(e.dtmf.tone), durationMs: e.dtmf.durationMs });
      else if (e.speech) this.note(session, atMs, 'speech', { state: speechStateToJSON(e.speech.state), speakerMsi: e.speech.speakerMsi });
      else if (e.dominantSpeakerChanged) this.note(session, atMs, 'dominant-speaker', { speakerMsi: e.dominantSpeakerChanged.speakerMsi ?? null });
    } else if (response.error) {
      this.note(session, atMs, 'stream-error', { code: response.error.code, message: response.error.message });
    }
  }

  private note(session: Session, atMs: number, type: string, detail: Record<string, unknown>): void {
    if (session.events.length < MAX_EVENTS) session.events.push({ atMs, type, detail });
  }

  private streamEnded(session: Session, end: StreamEnd): void {
    const log = this.options.logger;
    if (session.state === 'ended') {
      log?.info({ callId: session.call.id, ok: end.ok }, 'media stream closed');
      return;
    }
    const wasOpen = session.state === 'open';
    session.state = 'failed';
    session.endedReason = `StreamCall to ${session.target} ended: ${end.details} (gRPC status ${end.code})`;
    this.setStreaming(session, false);
    log?.warn({ callId: session.call.id, code: end.code, details: end.details }, 'media stream failed; the call ends after the grace period');
    const result = wasOpen ? MEDIA_ENDED.lost(end.details) : MEDIA_ENDED.neverConnected(end.details);
    session.failTimer = setTimeout(() => {
      if (session.call.state !== 'terminated') this.hooks.fail(session.call, result);
    }, this.options.failureGraceMs);
  }

  private setStreaming(session: Session, on: boolean): void {
    if (on) this.streaming.add(session);
    else this.streaming.delete(session);
    if (this.streaming.size > 0) this.clock.add(this.onFrame);
    else this.clock.remove(this.onFrame);
  }
}
