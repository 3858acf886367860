import { ServerDuplexStream, status } from '@grpc/grpc-js';
import { callLogger } from '@switchboard/service-kit';
import { StreamErrorCode, type AttachCallRequest, type AttachCallResponse, type VideoSelection } from '@switchboard/media-proto';
import { callIdProblem } from '@switchboard/nats-contracts';
import type { Logger } from 'pino';
import { AUDIO_FRAME_BYTES } from './frame-validation';
import type { MediaMetrics } from './media-metrics';
import { OutboundWriter } from './outbound-writer';
import { emptySelection, type FrameSelection } from './session/frame-subscriber';
import type { SessionHub } from './session/session-hub';

type Stream = ServerDuplexStream<AttachCallRequest, AttachCallResponse>;

/** 2 s of mixed audio plus a speaker's; a bot further behind loses its oldest frames. */
const SUBSCRIBER_CAPACITY = 200;

export interface AttachStreamDeps {
  sessions?: SessionHub;
  metrics: MediaMetrics;
  logger: Logger;
  podName: string;
}

/**
 * One bot attached to one call (AttachCall): the first message names the call, then the pod streams the audio and
 * video the bot selected while the bot streams audio into the call. Ends when the call's session ends or the bot
 * goes; a bad request ends it with INVALID_ARGUMENT, a call not on this pod with NOT_FOUND.
 */
export async function handleAttachStream(stream: Stream, deps: AttachStreamDeps): Promise<void> {
  const requests = stream.iterator({ destroyOnReturn: false }) as AsyncIterableIterator<AttachCallRequest>;
  const first = await requests.next().catch(() => ({ done: true as const, value: undefined }));
  const attach = first.done ? undefined : first.value.attach;
  if (!attach) return fail(stream, status.INVALID_ARGUMENT, 'first message must attach to a call');
  const problem = callIdProblem(attach.callId);
  if (problem) return fail(stream, status.INVALID_ARGUMENT, `attach.call_id ${problem}`);
  const session = deps.sessions?.get(attach.callId);
  if (!session) return fail(stream, status.NOT_FOUND, `call ${attach.callId} has no media session on pod ${deps.podName}`);

  const log = callLogger(deps.logger, attach.callId);
  const writer = new OutboundWriter<AttachCallRequest, AttachCallResponse>(stream, {
    capacity: SUBSCRIBER_CAPACITY,
    coalesceKey: (m) => (m.video ? `v${m.video.msi}` : m.screenSharing ? 's' : undefined),
    onDiscard: (m, why) => deps.metrics.queueDiscarded('subscriber', m.video || m.screenSharing ? 'video' : 'audio', why),
  });
  const selection: FrameSelection = { ...emptySelection(), mixedAudio: attach.mixedAudio, speakerAudio: attach.speakerAudio };
  let sessionEnded = false;
  writer.send({ attached: { callId: attach.callId, podName: deps.podName } });
  const unsubscribe = session.subscribe({
    selection,
    deliver: (m) => writer.send(m),
    ended: () => {
      sessionEnded = true;
      if (!stream.writableEnded && !stream.destroyed) stream.end();
    },
  });
  log.info({ mixedAudio: attach.mixedAudio, speakerAudio: attach.speakerAudio }, 'bot attached');
  let index = 1;
  try {
    for await (const request of requests) {
      index++;
      if (sessionEnded) break;
      if (request.audio) {
        if (request.audio.data.length !== AUDIO_FRAME_BYTES) {
          deps.metrics.frameRejected('app-audio-size');
          writer.send({ error: { code: StreamErrorCode.STREAM_ERROR_CODE_INVALID_FRAME, message: `audio ${index} has ${request.audio.data.length} bytes, expected ${AUDIO_FRAME_BYTES}; skipped` } });
          continue;
        }
        // Waits while a second of the bot's audio is queued: the bot's stream is held rather than its audio lost.
        await session.sendAudio(request.audio.data);
      } else if (request.video) {
        select(selection, request.video, session.directory.sourcesOf.bind(session.directory));
      } else {
        return fail(stream, status.INVALID_ARGUMENT, `message ${index} must carry audio or a video selection`, unsubscribe, writer);
      }
    }
  } catch {
    // The bot went away: the same as ending the stream.
  }
  unsubscribe();
  writer.close();
  if (!stream.writableEnded && !stream.destroyed) stream.end();
  log.info({ sessionEnded }, 'bot detached');
}

function select(selection: FrameSelection, change: VideoSelection, sourcesOf: (participantId: string) => readonly number[]): void {
  const toggle = <T>(set: Set<T>, value: T) => (change.subscribe ? set.add(value) : set.delete(value));
  if (change.screenSharing) selection.screenSharing = change.subscribe;
  if (change.msi !== 0) toggle(selection.videoMsis, change.msi);
  if (change.participantId) {
    toggle(selection.videoParticipants, change.participantId);
    if (!change.subscribe) for (const msi of sourcesOf(change.participantId)) selection.videoMsis.delete(msi);
  }
}

function fail(stream: Stream, code: status, details: string, unsubscribe?: () => void, writer?: { close(): void }): void {
  unsubscribe?.();
  writer?.close();
  if (!stream.destroyed) stream.emit('error', { code, details });
}
