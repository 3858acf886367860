import {
  digitToTone,
  explainResult,
  operationSucceeded,
  primaryIdentity,
  toneToDigit,
  type Call,
  type NotificationFact,
  type NotifiedOperation,
  type ParticipantJoiningResponse,
  type Tone,
} from '@switchboard/graph-models';
import { resumeFlow, startFlow, type Flow, type IvrCommand, type IvrEvent, type IvrInput } from '@switchboard/ivr-engine';
import type {
  ActionFailedInput,
  CallEvent,
  CallEventType,
  FlowMediaEvent,
  MediaEventInput,
  MediaLostInput,
  MediaPlacedInput,
  MediaPlacementFailedInput,
  RecordingStatusAnsweredInput,
  RecordingStatusInput,
  TimerInput,
  WebhookResultInput,
} from '@switchboard/nats-contracts';
import { copyRecord, freshBookkeeping, HISTORY_LIMIT, TONE_MEMORY, type CallHandler, type CallRecord, type OutboxAction, type OutboxItem, type Party } from './call-record';
import { applyRoster } from './call-roster';
import { canTransition } from './call-transitions';
import { policyRecordingInvite } from '../flows/policy-recording';
import { joinAnswerOf, participantJoiningAnswer } from '../flows/participant-joining';
import { callTargetId } from '../flows/routing';
import { DEFAULT_GRANT_RENEWAL_MS, RecordingGate } from '../recordings/recording-gate';
import type { SealedToken } from '../recordings/recording-token-seal';
import { callEventId, effectId, keepAliveTimerId, mediaPromptOf, recordingName, type EffectId } from './effect-ids';
import { plannedEffect } from './flow-commands';

/** The flows a deployment runs and the rules that pick one for an incoming call. */
export interface FlowDirectory {
  flow(flowId: string): Flow | undefined;
  route(call: Call): CallHandler;
}

export interface ReduceContext {
  now: Date;
  /** Tenant of the verified callback token. */
  tenantId: string;
  /** This replica: effects it adds are claimed by it. */
  replicaId: string;
  /** Time between keepAlive requests on a live call (Graph ends calls after 45 minutes without one). */
  keepAliveIntervalMs: number;
  flows: FlowDirectory;
  /** Seals a recording access token for the stored outbox, bound to the recording's name (see `RecordingTokenSeal`). */
  sealToken(token: string, boundTo: string): SealedToken;
  /** False while the replica is over capacity: a new call a flow would take is refused (busy) instead of answered. */
  admitting?: boolean;
  /** Time between renewals of a recording grant's lease while Graph records (well below recording-compliance's LEASE_MS). */
  grantRenewalIntervalMs?: number;
}

/** What the reducer applies: the facts of one Graph notification, or an input signaling scheduled itself. */
export type ReducerInput =
  /** `joinAnswer`: what the webhook answered Graph for a participantJoiningNotification among the facts. */
  | { kind: 'facts'; facts: NotificationFact[]; joinAnswer?: ParticipantJoiningResponse }
  | TimerInput
  | WebhookResultInput
  | ActionFailedInput
  | MediaPlacedInput
  | MediaPlacementFailedInput
  | MediaLostInput
  | MediaEventInput
  | RecordingStatusInput
  | RecordingStatusAnsweredInput;

export type ReduceResult =
  | { kind: 'changed'; record: CallRecord }
  | { kind: 'unchanged' }
  | { kind: 'ignored'; reason: string };

/**
 * Applies one input to a call's record and decides what follows. Pure: the caller stores the result with
 * compare-and-set and then carries out the outbox. Applying the same input twice changes nothing, so Graph
 * retries and JetStream redeliveries cannot cause a second answer, prompt or event.
 */
export function reduceCall(current: CallRecord | undefined, input: ReducerInput, ctx: ReduceContext): ReduceResult {
  if (input.kind !== 'facts') return reduceScheduled(current, input, ctx);
  let record = current ? copyRecord(current) : undefined;
  let changed = false;
  let ignored: string | undefined;
  for (const fact of input.facts) {
    if (fact.type === 'unrecognised') {
      ignored = fact.reason;
      continue;
    }
    if (fact.type === 'call' && fact.changeType === 'created' && fact.call.state === 'incoming') {
      if (record) continue;
      record = newIncomingCall(fact.callId, fact.call, ctx);
      changed = true;
      continue;
    }
    if (!record) {
      ignored = `no call ${fact.callId} is known here`;
      continue;
    }
    const step = new RecordStep(record, ctx);
    if (fact.type === 'call') step.applyCall(fact.call, fact.changeType);
    else if (fact.type === 'operation') step.applyOperation(fact.operation, fact.changeType);
    else if (fact.type === 'participants') step.applyRoster(fact);
    else if (fact.type === 'participantJoining') step.applyParticipantJoining(fact.call, input.joinAnswer);
    changed = step.changed || changed;
  }
  if (changed && record) {
    record.updatedAt = ctx.now.toISOString();
    return { kind: 'changed', record };
  }
  return ignored ? { kind: 'ignored', reason: ignored } : { kind: 'unchanged' };
}

function reduceScheduled(current: CallRecord | undefined, input: Exclude<ReducerInput, { kind: 'facts' }>, ctx: ReduceContext): ReduceResult {
  if (!current) return { kind: 'ignored', reason: `${input.kind} input for a call that is not known here` };
  // Graph's answer to a status sent before the end is still reported (recording-compliance audits it), like a notification.
  if (current.state === 'terminated' && input.kind !== 'recording-status-answered') return { kind: 'ignored', reason: `${input.kind} input after the call ended` };
  const record = copyRecord(current);
  const step = new RecordStep(record, ctx);
  if (input.kind === 'timer' && input.purpose === 'keepAlive') {
    if (record.timers.keepAlive !== input.timerId) return { kind: 'ignored', reason: `timer ${input.timerId} is no longer armed` };
    step.effect(effectId({ kind: 'keepAlive', timerId: input.timerId }), { kind: 'keepAlive' });
    step.armKeepAlive();
  } else if (input.kind === 'recording-status') {
    // Keyed by the clientContext like a flow's Graph requests: the same cause is sent once, and its notification settles it.
    const { status, clientContext } = input;
    step.effect(effectId({ kind: 'graph', clientContext }), { kind: 'updateRecordingStatus', status, clientContext });
    step.gate.onStatusRequested(status, clientContext);
  } else if (input.kind === 'recording-status-answered') {
    step.applyOperation(answeredStatusOperation(input), 'deleted');
  } else if (input.kind === 'timer' && input.purpose === 'grant-renewal') {
    step.gate.onRenewalDue(input.timerId);
  } else if (input.kind === 'timer') {
    step.toFlow({ type: 'timerFired', timerId: input.timerId });
  } else if (input.kind === 'media-placed' || input.kind === 'media-placement-failed' || input.kind === 'media-lost') {
    step.applyMedia(input);
  } else if (input.kind === 'media-event') {
    step.applyMediaEvent(input.event);
  } else if (input.kind === 'webhook-result') {
    step.toFlow({ type: 'webhookAnswered', requestId: input.requestId, ...(input.ok ? { steps: input.body } : { error: input.error ?? 'the webhook failed' }) });
  } else {
    step.toFlow({ type: 'actionFailed', clientContext: input.clientContext, error: input.error });
    step.gate.onRecordEnded(input.clientContext);
  }
  if (!step.changed) return { kind: 'unchanged' };
  record.updatedAt = ctx.now.toISOString();
  return { kind: 'changed', record };
}

/** Graph's immediate answer to updateRecordingStatus, read like the operation's notification. */
function answeredStatusOperation(input: RecordingStatusAnsweredInput): NotifiedOperation {
  return {
    kind: 'updateRecordingStatusOperation',
    id: input.operationId,
    // Without an id from Graph, the clientContext tells this answer apart from others (see applyOperation).
    ...(input.operationId ? {} : { idFromUrl: true as const }),
    status: input.status,
    clientContext: input.clientContext,
    ...(input.completionReason ? { completionReason: input.completionReason } : {}),
    ...(input.resultInfo ? { resultInfo: input.resultInfo } : {}),
  };
}

function newIncomingCall(callId: string, call: Call, ctx: ReduceContext): CallRecord {
  const at = ctx.now.toISOString();
  const caller = partyOf(call);
  const handler = ctx.flows.route(call);
  const record: CallRecord = {
    callId,
    tenantId: call.tenantId ?? ctx.tenantId,
    direction: 'incoming',
    state: 'incoming',
    createdAt: at,
    updatedAt: at,
    ...(caller ? { caller } : {}),
    handler,
    ...freshBookkeeping(),
  };
  const step = new RecordStep(record, ctx);
  const targetAppId = callTargetId(call);
  const policyRecording = policyRecordingInvite(call);
  step.publish('incoming', { ...(caller ? { caller } : {}), ...(targetAppId ? { targetAppId } : {}), handler, ...(policyRecording ? { policyRecording } : {}) });
  // An app-handled call is answered (or rejected) by the app through the call-control API; a replica over capacity
  // refuses a flow's new call; an app-hosted one is answered once a media pod took it (the media-placed input).
  if (handler.kind === 'flow' && ctx.admitting === false) step.effect(effectId({ kind: 'reject' }), { kind: 'reject', reason: 'busy' });
  else if (handler.kind === 'flow' && handler.media === 'appHosted') step.effect(effectId({ kind: 'place-media' }), { kind: 'place-media' });
  else if (handler.kind === 'flow') step.effect(effectId({ kind: 'answer' }), { kind: 'answer' });
  return record;
}

/** Why a finished operation failed, in words. */
function failureOf(operation: NotifiedOperation): string {
  return operation.resultInfo
    ? explainResult(operation.resultInfo).cause
    : `the operation ended ${operation.status}${operation.completionReason ? ` (${operation.completionReason})` : ''}`;
}

function partyOf(call: Call): Party | undefined {
  const primary = primaryIdentity(call.source?.identity);
  if (!primary) return undefined;
  return {
    kind: primary.kind,
    ...(primary.identity.id ? { id: primary.identity.id } : {}),
    ...(primary.identity.displayName ? { displayName: primary.identity.displayName } : {}),
  };
}

/** Mutations of one record while applying one input; `changed` tells whether anything was written. */
class RecordStep {
  changed = false;
  /** Recording access tokens of the operations applied in this step, by clientContext: held here, never in the record. */
  private readonly recordingTokens = new Map<string, string>();

  constructor(
    private readonly record: CallRecord,
    private readonly ctx: ReduceContext,
  ) {}

  /** Service-hosted recordings wait for their grant here (recordings/recording-gate.ts). */
  get gate(): RecordingGate {
    return new RecordingGate({
      record: this.record,
      now: this.ctx.now,
      renewalIntervalMs: this.ctx.grantRenewalIntervalMs ?? DEFAULT_GRANT_RENEWAL_MS,
      effect: (id, action, clientContext) => this.effect(id, action, clientContext),
      toFlow: (input) => this.toFlow(input),
      touch: () => (this.changed = true),
    });
  }

  applyCall(call: Call, changeType: string): void {
    if (call.toneInfo) this.applyTone(call.toneInfo.tone, call.toneInfo.sequenceId);
    const to = changeType === 'deleted' ? 'terminated' : call.state;
    if (!to || !canTransition(this.record.state, to)) return;
    const from = this.record.state;
    this.record.state = to;
    if (from === 'incoming') this.reported(effectId({ kind: 'answer' }));
    this.publish('state-changed', { from, to });
    if (to === 'established' && (from === 'transferring' || from === 'transferAccepted')) {
      const reason = call.resultInfo ? explainResult(call.resultInfo).cause : 'the transfer failed';
      const clientContext = this.record.flow?.transferContext;
      if (clientContext) this.toFlow({ type: 'transferFailed', clientContext, reason });
    } else if (to === 'established') {
      this.onEstablished();
    }
    if (to === 'terminated') this.onTerminated(call);
  }

  /** A roster notification: the new roster is kept, and a change is told as a `participants-updated` event. */
  applyRoster(fact: Extract<NotificationFact, { type: 'participants' }>): void {
    const change = applyRoster(this.record.roster, fact);
    if (!change) return;
    this.record.roster = change.roster;
    this.changed = true;
    const mediaCallId = this.record.media?.mediaCallId;
    const media = mediaCallId && mediaCallId !== this.record.callId ? { mediaCallId } : {};
    if (change.changed) this.publish('participants-updated', { participants: change.roster.participants, joined: change.joined, left: change.left, ...media });
  }

  /**
   * Another user under the recording policy joined: reported once per observed participant with the answer Graph got
   * (the webhook's, stored with the notification; decided again from this record if it was stored without one).
   */
  applyParticipantJoining(call: Call, answer: ParticipantJoiningResponse | undefined): void {
    const observedParticipantId = call.incomingContext?.observedParticipantId ?? call.source?.id ?? '';
    const joins = (this.record.policyJoins ??= []);
    if (joins.includes(observedParticipantId)) return;
    joins.push(observedParticipantId);
    this.changed = true;
    const botData = (call.applicationMetadata as { botData?: { user?: { id?: unknown; displayName?: unknown }; policyIdentifier?: unknown } } | null | undefined)?.botData;
    const user = { ...(typeof botData?.user?.id === 'string' ? { id: botData.user.id } : {}), ...(typeof botData?.user?.displayName === 'string' ? { displayName: botData.user.displayName } : {}) };
    const given = answer ?? participantJoiningAnswer(this.record).answer;
    this.publish('participant-joining', {
      observedParticipantId,
      ...(Object.keys(user).length ? { user } : {}),
      ...(typeof botData?.policyIdentifier === 'string' ? { policyId: botData.policyIdentifier } : {}),
      answer: joinAnswerOf(given),
      ...('reason' in given && given.reason ? { reason: given.reason } : {}),
    });
  }

  /** A key the caller pressed, told by Graph's toneInfo or the media pod's detector; applied once per sequence id. */
  private applyTone(tone: Tone, sequenceId: number): void {
    if (!this.isNewTone(sequenceId)) return;
    this.record.appliedTones.push(sequenceId);
    if (this.record.appliedTones.length > TONE_MEMORY) this.record.appliedTones.shift();
    this.publish('tone', { tone, digit: toneToDigit(tone), sequenceId });
    this.toFlow({ type: 'tone', digit: toneToDigit(tone), sequenceId });
  }

  /** Not applied before; a sequence id older than everything remembered is taken as a repeat. */
  private isNewTone(sequenceId: number): boolean {
    const seen = this.record.appliedTones;
    if (seen.includes(sequenceId)) return false;
    return seen.length < TONE_MEMORY || sequenceId > Math.min(...seen);
  }

  applyOperation(operation: NotifiedOperation, changeType: string): void {
    const final = operation.status === 'completed' || operation.status === 'failed';
    // An operation whose body has no id may share its URL with others (multi-invites): its clientContext tells them apart.
    const key = operation.idFromUrl && operation.clientContext ? `${operation.id}:${operation.clientContext}` : operation.id;
    if (!final || changeType === 'created' || this.record.finishedOperations.includes(key)) return;
    this.record.finishedOperations.push(key);
    // `completed` is not always a success: sendDtmfTones reports tones it could not send in its completionReason.
    const ok = operationSucceeded(operation);
    this.publish('operation-completed', {
      operationId: operation.id,
      operationKind: operation.kind,
      status: ok ? 'completed' : 'failed',
      ...(operation.completionReason ? { completionReason: operation.completionReason } : {}),
      ...(operation.clientContext ? { clientContext: operation.clientContext } : {}),
      ...(operation.resultInfo ? { resultInfo: operation.resultInfo } : {}),
    });
    const clientContext = operation.clientContext;
    if (!clientContext) return;
    this.reported(effectId({ kind: 'graph', clientContext }));
    if (operation.kind === 'updateRecordingStatusOperation') this.gate.onStatusOutcome(clientContext, ok, failureOf(operation));
    if (operation.kind === 'playPromptOperation') this.toFlow({ type: 'promptCompleted', clientContext, ok });
    else if (operation.kind === 'recordOperation') {
      // The access token goes to the store-recording effect only (sealed), never into the flow's state.
      if (operation.recordingAccessToken) this.recordingTokens.set(clientContext, operation.recordingAccessToken);
      this.toFlow({
        type: 'recordCompleted',
        clientContext,
        ok,
        ...(operation.recordingLocation ? { location: operation.recordingLocation } : {}),
        ...(operation.completionReason ? { completionReason: operation.completionReason } : {}),
      });
      this.gate.onRecordEnded(clientContext);
    } else if (!ok) {
      this.toFlow({ type: 'actionFailed', clientContext, error: failureOf(operation) });
    }
  }

  /**
   * The outcome of placing the call's media, or the loss of its pod. A call is placed once: a later media-placed
   * (another replica's repeat) changes nothing. A lost pod ends the call, and only the pod the call is on counts.
   */
  applyMedia(input: MediaPlacedInput | MediaPlacementFailedInput | MediaLostInput): void {
    const media = this.record.media;
    if (input.kind === 'media-lost') {
      if (media?.pod === input.pod) this.mediaGone(input.reason);
      return;
    }
    if (media || this.record.state !== 'incoming') return;
    if (input.kind === 'media-placed') {
      this.record.media = { pod: input.pod, mediaCallId: input.mediaCallId };
      this.publish('media-placed', { pod: input.pod, mediaCallId: input.mediaCallId });
      this.effect(effectId({ kind: 'answer' }), { kind: 'answer', media: { blob: input.blob }, ...(input.participantCapacity ? { participantCapacity: input.participantCapacity } : {}) });
      return;
    }
    this.publish('call-failed', { reason: input.reason });
    this.effect(effectId({ kind: 'reject' }), { kind: 'reject', reason: 'busy' });
  }

  /** The call's media ended before the call (its pod stopped, its session failed): told once, and the call ends. */
  private mediaGone(reason: string): void {
    const media = this.record.media;
    if (!media || media.lost) return;
    media.lost = reason;
    this.publish('media-lost', { pod: media.pod, reason });
    this.endCall();
  }

  /**
   * What the media pod hosting the call reported: its session is up (a waiting flow starts), a key, the end of a
   * prompt or recording the flow asked for (each applied once, by its id), or the session's failure (the call ends).
   * An event about another media call id than the call's (a stale relay) changes nothing.
   */
  applyMediaEvent(event: FlowMediaEvent): void {
    const media = this.record.media;
    if (!media || media.mediaCallId !== event.callId) return;
    switch (event.type) {
      case 'session-started':
        if (media.sessionStarted) return;
        media.sessionStarted = true;
        this.changed = true;
        if (this.record.state === 'established') this.startFlow();
        return;
      case 'dtmf': {
        const tone = digitToTone(event.digit);
        // Stream time in ms increases per call, so it orders keys like Graph's sequenceId; two keys are never 1 ms apart.
        if (tone) this.applyTone(tone, Math.round(event.atMs));
        return;
      }
      case 'prompt-completed': {
        // The last prompt of a play ends it (its id is the clientContext); one before it that failed fails the play.
        const { clientContext, part } = mediaPromptOf(event.id);
        if (part !== undefined) {
          if (typeof part === 'number' && event.reason === 'failed') this.firstReport(event.id, clientContext);
          return;
        }
        if (!this.firstReport(clientContext)) return;
        const partFailed = this.record.finishedOperations.some((key) => key.startsWith(`media:${clientContext}@`));
        this.reported(effectId({ kind: 'media', clientContext }));
        this.toFlow({ type: 'promptCompleted', clientContext, ok: event.reason !== 'failed' && !partFailed });
        return;
      }
      case 'record-completed':
        if (!this.firstReport(event.id)) return;
        this.applyRecordCompleted(event);
        return;
      case 'session-failed':
        this.mediaGone(`the media session failed: ${event.error}`);
        return;
    }
  }

  /**
   * A recording the pod made stored it already (under the call's recording grant), so there is nothing to download:
   * the flow hears where it is, and `recording-stored` says so at once.
   */
  private applyRecordCompleted(event: Extract<FlowMediaEvent, { type: 'record-completed' }>): void {
    const { recording } = event;
    const ok = recording !== undefined && event.reason !== 'failed';
    const completionReason = [event.reason, event.key && `key ${event.key}`, event.error].filter(Boolean).join(': ');
    this.reported(effectId({ kind: 'media', clientContext: event.id }));
    this.toFlow({ type: 'recordCompleted', clientContext: event.id, ok, completionReason, ...(recording ? { location: `${recording.container}/${recording.blobName}` } : {}) });
    if (recording) {
      const { recordingId, grantId = '', container, blobName, bytes, sha256 } = recording;
      this.publish('recording-stored', { recordingId, grantId, container, blobName, bytes, contentType: 'audio/wav', sha256 });
    }
  }

  /**
   * True the first time the pod reports the end of `id` (a prompt or recording of the flow's media effect with this
   * clientContext; kept with Graph's finished operations); false for a repeat, or for no effect of this call.
   */
  private firstReport(id: string, clientContext = id): boolean {
    const key = `media:${id}`;
    if (!this.known(effectId({ kind: 'media', clientContext })) || this.record.finishedOperations.includes(key)) return false;
    this.record.finishedOperations.push(key);
    this.changed = true;
    return true;
  }

  /** Ends the call from our side: an unanswered one is rejected, any other hung up. */
  private endCall(): void {
    if (this.record.state === 'incoming') this.effect(effectId({ kind: 'reject' }), { kind: 'reject', reason: 'none' });
    else this.effect(effectId({ kind: 'hangup' }), { kind: 'hangUp' });
  }

  /** Arms the next keepAlive; the previous timer id stops being the armed one. */
  armKeepAlive(): void {
    this.record.timerCount += 1;
    const timerId = keepAliveTimerId(this.record.callId, this.record.timerCount);
    this.record.timers.keepAlive = timerId;
    this.effect(effectId({ kind: 'timer', timerId }), {
      kind: 'schedule',
      input: { kind: 'timer', timerId, purpose: 'keepAlive', dueAt: this.ctx.now.getTime() + this.ctx.keepAliveIntervalMs },
    });
  }

  private onEstablished(): void {
    if (this.record.timers.keepAlive) return; // established before: a hold or a failed redirect returning
    this.armKeepAlive();
    this.publish('established', {});
    // On app-hosted media a flow waits for the pod's session: its commands would meet nobody before.
    if (!this.record.media || this.record.media.sessionStarted) this.startFlow();
  }

  /** Starts the call's flow, if a flow handles it and has not started. */
  private startFlow(): void {
    const { handler } = this.record;
    if (handler.kind !== 'flow' || this.record.flow) return;
    const flow = this.ctx.flows.flow(handler.flowId);
    if (!flow) {
      this.publish('flow-event', { flowId: handler.flowId, name: 'step-failed', data: { error: `flow ${handler.flowId} is not deployed` } });
      this.effect(effectId({ kind: 'hangup' }), { kind: 'hangUp' });
      return;
    }
    const result = startFlow(flow, {
      callId: this.record.callId,
      tenantId: this.record.tenantId,
      now: this.ctx.now.getTime(),
      caller: this.record.caller ?? { kind: 'unknown' },
    });
    this.record.flow = { state: result.state };
    this.carryOut(result.commands, handler.flowId);
  }

  private onTerminated(call: Call): void {
    // A terminated call takes no more Graph requests or timers; events and stored recordings still go out.
    const resultInfo = call.resultInfo ?? undefined;
    if (resultInfo) this.record.resultInfo = resultInfo;
    this.toFlow({ type: 'callEnded', ...(resultInfo ? { reason: explainResult(resultInfo).cause } : {}) });
    this.record.outbox = this.record.outbox.filter((item) => item.action.kind === 'publish' || item.action.kind === 'store-recording');
    this.record.timers = {};
    this.gate.onCallEnded();
    const explanation = resultInfo ? explainResult(resultInfo) : undefined;
    this.publish('terminated', {
      ...(resultInfo ? { resultInfo } : {}),
      ...(explanation ? { explanation: { outcome: explanation.outcome, cause: explanation.cause, action: explanation.action } } : {}),
    });
  }

  /** Feeds an input to the running flow, if any, and carries out what it decides. */
  toFlow(input: IvrInput): void {
    const running = this.record.flow;
    if (!running || running.state.status === 'finished' || this.record.handler.kind !== 'flow') return;
    const flow = this.ctx.flows.flow(this.record.handler.flowId);
    if (!flow) return;
    const result = resumeFlow(flow, running.state, input, this.ctx.now.getTime());
    if (result.state === running.state && result.commands.length === 0) return;
    running.state = result.state;
    this.changed = true;
    this.carryOut(result.commands, this.record.handler.flowId);
  }

  private carryOut(commands: IvrCommand[], flowId: string): void {
    for (const command of commands) {
      if (command.kind === 'disarmTimer') continue;
      if (command.kind === 'emit') {
        this.publish('flow-event', { flowId, name: command.name, data: command.data });
        if (command.name === 'recording-available') this.storeRecording(command.data);
        continue;
      }
      const planned = plannedEffect(command, this.record.callId, this.record.media ? 'appHosted' : 'serviceHosted');
      // A service-hosted recording waits for its grant (the app-hosted pod asks for its own).
      if (planned?.action.kind === 'recordResponse') {
        this.gate.hold(planned.action);
        continue;
      }
      if (command.kind === 'transfer' && this.record.flow) this.record.flow.transferContext = command.clientContext;
      if (planned) this.effect(planned.id, planned.action, planned.clientContext);
    }
  }

  /**
   * Stores a recorded message under the grant it was recorded under (Blob storage, through libs/recording-store),
   * with Graph's access token sealed in the stored item. Without a grant nothing is stored.
   */
  private storeRecording(recording: IvrEvent<'recording-available'>['data']): void {
    const token = this.recordingTokens.get(recording.clientContext);
    if (!token) return;
    const grant = this.gate.takeForStore(recording.clientContext);
    if (!grant) return;
    const name = recordingName(this.record.callId, this.record.eventCount);
    this.effect(effectId({ kind: 'store-recording', name }), {
      kind: 'store-recording',
      location: recording.location,
      sealedAccessToken: this.ctx.sealToken(token, name),
      name,
      grantId: grant.grantId,
      startedAt: grant.startedAt,
      endedAt: this.ctx.now.toISOString(),
    });
  }

  /**
   * Graph has reported the outcome of an effect (the call left `incoming`, an operation with its clientContext
   * finished): it was carried out, so a replica taking over a stale claim must not send it again.
   */
  private reported(id: EffectId): void {
    if (!this.record.outbox.some((item) => item.id === id)) return;
    this.record.outbox = this.record.outbox.filter((item) => item.id !== id);
    this.record.doneEffects.push(id);
    this.changed = true;
  }

  private known(id: EffectId): boolean {
    return this.record.doneEffects.includes(id) || this.record.outbox.some((item) => item.id === id);
  }

  effect(id: EffectId, action: OutboxAction, clientContext?: string): void {
    if (this.known(id)) return;
    const item: OutboxItem = {
      id,
      action,
      attempts: 0,
      claimedBy: this.ctx.replicaId,
      claimedAt: this.ctx.now.getTime(),
      ...(clientContext ? { clientContext } : {}),
    };
    this.record.outbox.push(item);
    this.changed = true;
  }

  /** Event ids count up per call, so a repeated cause (established → hold → established) gets a fresh id. */
  publish<K extends CallEventType>(type: K, fields: Record<string, unknown>): void {
    this.record.eventCount += 1;
    const event = {
      eventId: callEventId(this.record.callId, this.record.eventCount, type),
      callId: this.record.callId,
      tenantId: this.record.tenantId,
      occurredAt: this.ctx.now.toISOString(),
      type,
      ...fields,
    } as CallEvent;
    this.effect(effectId({ kind: 'event', eventNumber: this.record.eventCount, type }), { kind: 'publish', event });
    this.record.history.push({ at: event.occurredAt, type, eventId: event.eventId });
    if (this.record.history.length > HISTORY_LIMIT) this.record.history.splice(0, this.record.history.length - HISTORY_LIMIT);
  }
}
