import { ServerDuplexStream, status } from '@grpc/grpc-js';
import { callLogger } from '@switchboard/service-kit';
import { StreamCallResponse, StreamErrorCode } from '@switchboard/media-proto';
import type { Logger } from 'pino';
import { CallMediaHandler } from './call-media-handler';
import { CallRefusedError, CallRegistry } from './call-registry';
import { frameProblem, IncomingRequest, isPlatformEvent, openProblem } from './frame-validation';
import { CallOutcome, MediaMetrics } from './media-metrics';
import { OutboundWriter } from './outbound-writer';
import { writeWithBackpressure } from './write-with-backpressure';

/** Responses a handler may have queued for the platform: 1 s of audio and the events around it. */
const OUTBOUND_CAPACITY = 64;

export interface CallStreamDeps {
  calls: CallRegistry;
  metrics: MediaMetrics;
  logger: Logger;
  podName: string;
  /** Sees the call's frames and events and answers with what goes back; none: frames are only counted. */
  handler?: CallMediaHandler;
  /** Only calls prepared here may stream (a bridge prepares every call it streams; anything else is unknown). */
  requirePrepared?: boolean;
}

type Stream = ServerDuplexStream<IncomingRequest, StreamCallResponse>;

interface Ended {
  outcome: CallOutcome;
  code: status;
  details: string;
}

/**
 * One call's bidirectional stream: the first message opens the call, then frames are
 * validated and counted until the client ends or cancels. Reading with `for await` pulls one
 * message at a time, so a slow pod slows the sender (HTTP/2 flow control) instead of queueing.
 */
export async function handleCallStream(stream: Stream, deps: CallStreamDeps): Promise<void> {
  let callId: string | undefined;
  let frames = 0;
  let index = 0;
  let ended: Ended = { outcome: 'completed', code: status.OK, details: 'OK' };
  let lastAudioTicks = 0n;
  const output = new OutboundWriter<IncomingRequest, StreamCallResponse>(stream, {
    capacity: OUTBOUND_CAPACITY,
    coalesceKey: (r) => (r.video ? `v${r.video.msi}` : undefined),
    onDiscard: (r, why) => deps.metrics.queueDiscarded('outbound', r.audio ? 'audio' : r.video ? 'video' : 'event', why),
  });
  // destroyOnReturn=false: leaving the loop early must not destroy the stream before the status is sent.
  const requests = stream.iterator({ destroyOnReturn: false }) as AsyncIterableIterator<IncomingRequest>;
  try {
    for await (const request of requests) {
      index += 1;
      if (callId === undefined) {
        const problem = openProblem(request);
        if (problem || !('open' in request) || !request.open) {
          ended = invalid(problem ?? 'first message must open the call');
          break;
        }
        if (deps.requirePrepared && !deps.calls.isPrepared(request.open.callId)) {
          ended = { outcome: 'refused', code: status.NOT_FOUND, details: `call ${request.open.callId} was not prepared on pod ${deps.podName}` };
          break;
        }
        const refusal = tryOpen(deps.calls, request.open.callId);
        if (refusal) {
          ended = { outcome: 'refused', code: status.FAILED_PRECONDITION, details: refusal };
          break;
        }
        callId = request.open.callId;
        callLogger(deps.logger, callId).info({ podName: deps.podName }, 'media stream opened');
        await writeWithBackpressure(stream, { opened: { callId, podName: deps.podName } });
        deps.handler?.onOpened?.(callId, request.open, output);
        continue;
      }
      const problem = frameProblem(request, index);
      if (problem) {
        ended = invalid(problem);
        break;
      }
      if ('undecodable' in request) continue;
      if (request.audio) {
        // Platform timestamps only grow; a frame stamped at or before the last one is a replay or reordering.
        // Skipping it keeps the detectors' time right; the stream survives it. An unstamped frame (0) is taken as is.
        const ticks = request.audio.timestampTicks;
        if (ticks !== 0n && ticks <= lastAudioTicks) {
          deps.metrics.frameRejected('out-of-order');
          output.send({ error: { code: StreamErrorCode.STREAM_ERROR_CODE_INVALID_FRAME, message: `audio frame ${index} is stamped ${ticks}, not after ${lastAudioTicks}; skipped` } });
          continue;
        }
        if (ticks !== 0n) lastAudioTicks = ticks;
      }
      if (isPlatformEvent(request)) {
        if (request.streamFailure) {
          callLogger(deps.logger, callId).warn({ kind: request.streamFailure.kind, reason: request.streamFailure.message }, 'media stream failure');
        }
      } else {
        frames += 1;
        deps.metrics.frameReceived(request.audio ? 'audio' : 'video');
      }
      for (const response of deps.handler?.onRequest(callId, request) ?? []) {
        await writeWithBackpressure(stream, response);
      }
    }
  } catch (err) {
    ended = stream.cancelled
      ? { outcome: 'cancelled', code: status.CANCELLED, details: 'cancelled by the client' }
      : { outcome: 'error', code: status.INTERNAL, details: err instanceof Error ? err.message : String(err) };
  } finally {
    output.close();
    if (callId !== undefined) {
      deps.calls.close(callId);
      deps.handler?.onEnded?.(callId, ended.outcome, ended.code === status.OK ? undefined : ended.details);
    }
  }
  finish(stream, ended);
  const log = callId ? callLogger(deps.logger, callId) : deps.logger;
  const line = { outcome: ended.outcome, frames, ...(ended.code === status.OK ? {} : { details: ended.details }) };
  if (ended.outcome === 'completed' || ended.outcome === 'cancelled') log.info(line, 'media stream ended');
  else log.warn(line, 'media stream ended');
  deps.metrics.streamEnded(ended.outcome, frames);
}

function invalid(details: string): Ended {
  return { outcome: 'invalid', code: status.INVALID_ARGUMENT, details };
}

function tryOpen(calls: CallRegistry, callId: string): string | undefined {
  try {
    calls.open(callId);
    return undefined;
  } catch (err) {
    if (err instanceof CallRefusedError) return err.message;
    throw err;
  }
}

function finish(stream: Stream, ended: Ended): void {
  if (stream.cancelled || stream.destroyed) return;
  if (ended.code === status.OK) {
    stream.end();
    return;
  }
  // grpc-js turns an 'error' event into the trailing status and ends the stream.
  stream.emit('error', { code: ended.code, details: ended.details });
}
