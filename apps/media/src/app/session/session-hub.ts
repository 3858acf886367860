import { callLogger } from '@switchboard/service-kit';
import { StreamErrorCode, type OpenCall, type StreamCallRequest, type StreamCallResponse } from '@switchboard/media-proto';
import { callIdToken, type MediaSessionEvent } from '@switchboard/nats-contracts';
import type { Logger } from 'pino';
import type { CallMediaHandler, CallOutput } from '../call-media-handler';
import type { CallOutcome, MediaMetrics } from '../media-metrics';
import { CallSession, type WholeCallRecording } from './call-session';
import type { PacerClock } from './outbound-audio';
import type { LoadPrompt } from './prompt-source';
import type { OpenRecordingSink, RecordingGrants } from './recording-gate';

export interface SessionHubOptions {
  podName: string;
  /** Where bots reach this pod's AttachCall (host:port), announced in `session-started`. */
  grpcTarget: () => string;
  metrics: MediaMetrics;
  logger: Logger;
  publish: (event: MediaSessionEvent) => void;
  loadPrompt: LoadPrompt;
  recording?: WholeCallRecording;
  messages?: { grants: RecordingGrants; openSink: OpenRecordingSink; recorder: string };
  clock?: PacerClock;
}

export interface SessionLifecycle {
  started(session: CallSession): void;
  ended(session: CallSession): void;
}

/** Outcomes of a call's stream that are failures of the session rather than its end. */
const FAILED: ReadonlySet<CallOutcome> = new Set(['invalid', 'error']);

/** The pod's media sessions, one per streaming call: the pod's CallMediaHandler. */
export class SessionHub implements CallMediaHandler {
  private readonly sessions = new Map<string, CallSession>();
  private readonly lifecycles: SessionLifecycle[] = [];

  constructor(private readonly options: SessionHubOptions) {}

  /** Follows sessions starting and ending (command responders, roster). */
  observe(lifecycle: SessionLifecycle): void {
    this.lifecycles.push(lifecycle);
  }

  /** The call's session; Graph's ids match in any case, as in subjects. */
  get(callId: string): CallSession | undefined {
    return this.sessions.get(callIdToken(callId));
  }

  get size(): number {
    return this.sessions.size;
  }

  onOpened(callId: string, _open: OpenCall, output: CallOutput): void {
    const { podName, metrics, publish, loadPrompt, recording, messages, clock } = this.options;
    const session = new CallSession({
      callId,
      podName,
      publish,
      loadPrompt,
      metrics,
      recording,
      messages,
      clock,
      sendAudio: (audio) => output.send({ audio }),
      onFramesDropped: (count) =>
        output.send({ error: { code: StreamErrorCode.STREAM_ERROR_CODE_FRAMES_DROPPED, message: `${count} frames dropped: the pod fell more than 3 s behind` } }),
    });
    this.sessions.set(callIdToken(callId), session);
    // Observers first: the command subscriptions are on the server before anyone hears that the session started.
    for (const l of this.lifecycles) l.started(session);
    session.emit({ type: 'session-started', atMs: 0, grpcTarget: this.options.grpcTarget() });
  }

  onRequest(callId: string, request: StreamCallRequest): readonly StreamCallResponse[] | undefined {
    this.get(callId)?.receive(request);
    return undefined;
  }

  onEnded(callId: string, outcome: CallOutcome, details?: string): void {
    const session = this.get(callId);
    if (!session) return;
    this.sessions.delete(callIdToken(callId));
    for (const l of this.lifecycles) l.ended(session);
    session.end(outcome, FAILED.has(outcome) ? (details ?? outcome) : undefined).catch((err: unknown) => {
      callLogger(this.options.logger, callId).warn({ err }, 'media session did not end cleanly');
    });
  }
}
