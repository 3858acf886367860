import type { JetStreamClient, JsMsg } from 'nats';
import { callEventSchemas, parseStatusClientContext, type CallEventOf, type ComplianceNames, type NatsNames } from '@switchboard/nats-contracts';
import { PullWorker, type Decision, type LogFn } from '@switchboard/jetstream';
import type { StatusOutcome } from './grant-ports';
import type { GrantService } from './grant-service';

/** What a call event means to the grant protocol. */
export type GrantInput =
  | { kind: 'status'; outcome: StatusOutcome }
  | { kind: 'call-ended'; callId: string }
  | { kind: 'established'; callId: string }
  | { kind: 'participant-joining'; event: CallEventOf<'participant-joining'> }
  | { kind: 'invitation'; callId: string; tenantId?: string; observedParticipantId?: string; policyId?: string }
  | { kind: 'unrelated' };

/** signaling names an effect that failed for good `graph:<clientContext>`. */
const GRAPH_EFFECT = 'graph:';

/**
 * Reads one call event: the outcome of a status request this service made (Graph's answer or its notification, or
 * a request Graph refused for good), or the call's end. Every other event, including types this version does not
 * know, is unrelated: signaling may publish new kinds of events without breaking this consumer.
 */
export function grantInputOf(raw: unknown): GrantInput {
  const type = (raw as { type?: unknown } | null)?.type;
  if (type === 'incoming') {
    const event = callEventSchemas.incoming.parse(raw);
    if (!event.policyRecording) return { kind: 'unrelated' };
    const { observedParticipantId, policyId } = event.policyRecording;
    return { kind: 'invitation', callId: event.callId, ...(event.tenantId ? { tenantId: event.tenantId } : {}), ...(observedParticipantId ? { observedParticipantId } : {}), ...(policyId ? { policyId } : {}) };
  }
  if (type === 'terminated') return { kind: 'call-ended', callId: callEventSchemas.terminated.parse(raw).callId };
  if (type === 'established') return { kind: 'established', callId: callEventSchemas.established.parse(raw).callId };
  if (type === 'participant-joining') return { kind: 'participant-joining', event: callEventSchemas['participant-joining'].parse(raw) };
  if (type === 'operation-completed') {
    const event = callEventSchemas['operation-completed'].parse(raw);
    const cause = parseStatusClientContext(event.clientContext);
    if (!cause || event.operationKind !== 'updateRecordingStatusOperation') return { kind: 'unrelated' };
    const info = event.resultInfo;
    return {
      kind: 'status',
      outcome: {
        ...cause,
        callId: event.callId,
        ...(event.tenantId ? { tenantId: event.tenantId } : {}),
        ok: event.status === 'completed',
        ...(event.operationId ? { operationId: event.operationId } : {}),
        ...(info ? { code: info.code, subcode: info.subcode, ...(info.message ? { message: info.message } : {}) } : {}),
      },
    };
  }
  if (type === 'effect-failed') {
    const event = callEventSchemas['effect-failed'].parse(raw);
    const cause = event.effect.startsWith(GRAPH_EFFECT) ? parseStatusClientContext(event.effect.slice(GRAPH_EFFECT.length)) : undefined;
    if (!cause) return { kind: 'unrelated' };
    return { kind: 'status', outcome: { ...cause, callId: event.callId, ...(event.tenantId ? { tenantId: event.tenantId } : {}), ok: false, message: event.error } };
  }
  return { kind: 'unrelated' };
}

/** Follows signaling's call events with a durable consumer shared by every replica of the service. */
export class CallEventFollower {
  private readonly worker: PullWorker<GrantInput>;

  constructor(js: JetStreamClient, names: NatsNames, compliance: ComplianceNames, grants: GrantService, settings: { maxDeliver: number; concurrency: number; log: LogFn }) {
    this.worker = new PullWorker(js, {
      stream: names.eventsStream,
      consumer: compliance.callEventsConsumer,
      decode: (msg: JsMsg) => grantInputOf(msg.json()),
      handle: async (input): Promise<Decision> => {
        if (input.kind === 'status') await grants.onStatusOutcome(input.outcome);
        else if (input.kind === 'call-ended') await grants.onCallEnded(input.callId);
        else if (input.kind === 'established') await grants.onEstablished(input.callId);
        else if (input.kind === 'participant-joining') await grants.onParticipantJoining(input.event);
        else if (input.kind === 'invitation') await grants.answerInvitation(input);
        return { kind: 'done', ...(input.kind === 'unrelated' ? { note: 'unrelated' } : {}) };
      },
      maxDeliver: settings.maxDeliver,
      concurrency: settings.concurrency,
      deadLetter: { subject: compliance.deadLetterSubject },
      log: settings.log,
    });
  }

  start(): Promise<void> {
    return this.worker.start();
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }
}
