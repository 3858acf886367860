import {
  primaryIdentity,
  toneToDigit,
  type Call,
  type CommsOperation,
  type NotificationFact,
} from '@switchboard/graph-models';
import { explainResult } from '@switchboard/graph-models';
import type { CallEvent, CallEventType, TimerInput } from '@switchboard/nats-contracts';
import type { CallRecord, OutboxAction, OutboxItem, Party } from './call-record';
import { canTransition } from './call-transitions';

export interface ReduceContext {
  now: Date;
  /** Tenant of the verified callback token. */
  tenantId: string;
  /** This replica: effects it adds are claimed by it. */
  replicaId: string;
  welcomePromptUri: string;
  /** Time between keepAlive requests on a live call (Graph ends calls after 45 minutes without one). */
  keepAliveIntervalMs: number;
}

/** What the reducer applies: the facts of one Graph notification, or an input signaling scheduled itself. */
export type ReducerInput = { kind: 'facts'; facts: NotificationFact[] } | TimerInput;

export type ReduceResult =
  | { kind: 'changed'; record: CallRecord }
  | { kind: 'unchanged' }
  | { kind: 'ignored'; reason: string };

const WELCOME = 'welcome';

/**
 * Applies one notification's facts to a call's record and decides what follows. Pure: the caller stores the
 * result with compare-and-set and then carries out the outbox. Applying the same facts twice changes nothing,
 * so Graph retries and JetStream redeliveries cannot cause a second answer, prompt or event.
 */
export function reduceCall(current: CallRecord | undefined, input: ReducerInput, ctx: ReduceContext): ReduceResult {
  if (input.kind === 'timer') return reduceTimer(current, input, ctx);
  const { facts } = input;
  let record = current ? structuredClone(current) : undefined;
  let changed = false;
  let ignored: string | undefined;
  for (const fact of facts) {
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
    changed = step.changed || changed;
  }
  if (changed && record) {
    record.updatedAt = ctx.now.toISOString();
    return { kind: 'changed', record };
  }
  return ignored ? { kind: 'ignored', reason: ignored } : { kind: 'unchanged' };
}

function reduceTimer(current: CallRecord | undefined, timer: TimerInput, ctx: ReduceContext): ReduceResult {
  if (!current) return { kind: 'ignored', reason: `timer ${timer.timerId} for a call that is not known here` };
  if (current.timers[timer.purpose] !== timer.timerId || current.state === 'terminated') {
    return { kind: 'ignored', reason: `timer ${timer.timerId} is no longer armed` };
  }
  const record = structuredClone(current);
  const step = new RecordStep(record, ctx);
  step.effect(`keepAlive:${timer.timerId}`, { kind: 'keepAlive' });
  step.armKeepAlive();
  record.updatedAt = ctx.now.toISOString();
  return { kind: 'changed', record };
}

function newIncomingCall(callId: string, call: Call, ctx: ReduceContext): CallRecord {
  const at = ctx.now.toISOString();
  const caller = partyOf(call);
  const record: CallRecord = {
    callId,
    tenantId: call.tenantId ?? ctx.tenantId,
    direction: 'incoming',
    state: 'incoming',
    createdAt: at,
    updatedAt: at,
    ...(caller ? { caller } : {}),
    eventCount: 0,
    lastToneSequence: 0,
    finishedOperations: [],
    doneEffects: [],
    outbox: [],
    timers: {},
    timerCount: 0,
  };
  const step = new RecordStep(record, ctx);
  step.publish('incoming', {
    ...(caller ? { caller } : {}),
    ...(call.targets?.[0]?.identity?.application?.id ? { targetAppId: call.targets[0].identity.application.id } : {}),
  });
  step.effect('answer', { kind: 'answer' });
  return record;
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

/** Mutations of one record while applying one fact; `changed` tells whether anything was written. */
class RecordStep {
  changed = false;

  constructor(
    private readonly record: CallRecord,
    private readonly ctx: ReduceContext,
  ) {}

  applyCall(call: Call, changeType: string): void {
    if (call.toneInfo && call.toneInfo.sequenceId > this.record.lastToneSequence) {
      this.record.lastToneSequence = call.toneInfo.sequenceId;
      const tone = call.toneInfo.tone;
      this.publish('tone', { tone, digit: toneToDigit(tone), sequenceId: call.toneInfo.sequenceId });
    }
    const to = changeType === 'deleted' ? 'terminated' : call.state;
    if (!to || !canTransition(this.record.state, to)) return;
    const from = this.record.state;
    this.record.state = to;
    this.publish('state-changed', { from, to });
    if (to === 'established') this.onEstablished();
    if (to === 'terminated') this.onTerminated(call);
  }

  applyOperation(operation: CommsOperation, changeType: string): void {
    const final = operation.status === 'completed' || operation.status === 'failed';
    if (!final || changeType === 'created' || this.record.finishedOperations.includes(operation.id)) return;
    this.record.finishedOperations.push(operation.id);
    this.publish('operation-completed', {
      operationId: operation.id,
      operationKind: operation.kind,
      status: operation.status as 'completed' | 'failed',
      ...(operation.clientContext ? { clientContext: operation.clientContext } : {}),
      ...(operation.resultInfo ? { resultInfo: operation.resultInfo } : {}),
    });
  }

  /** Arms the next keepAlive; the previous timer id stops being the armed one. */
  armKeepAlive(): void {
    this.record.timerCount += 1;
    const timerId = `${this.record.callId}:keepAlive:${this.record.timerCount}`;
    this.record.timers.keepAlive = timerId;
    this.effect(`timer:${timerId}`, {
      kind: 'arm-timer',
      timer: { kind: 'timer', timerId, purpose: 'keepAlive', dueAt: this.ctx.now.getTime() + this.ctx.keepAliveIntervalMs },
    });
  }

  private onEstablished(): void {
    if (!this.record.timers.keepAlive) this.armKeepAlive();
    if (!this.known(`prompt:${WELCOME}`)) {
      this.publish('established', {});
      this.effect(`prompt:${WELCOME}`, { kind: 'playPrompt', promptUri: this.ctx.welcomePromptUri, clientContext: `prompt:${WELCOME}` });
      this.effect('subscribe-tones', { kind: 'subscribeToTone', clientContext: 'subscribe-tones' });
    }
  }

  private onTerminated(call: Call): void {
    // A terminated call takes no more Graph requests; events still go out.
    this.record.outbox = this.record.outbox.filter((item) => item.action.kind === 'publish');
    this.record.timers = {};
    const resultInfo = call.resultInfo ?? undefined;
    if (resultInfo) this.record.resultInfo = resultInfo;
    const explanation = resultInfo ? explainResult(resultInfo) : undefined;
    this.publish('terminated', {
      ...(resultInfo ? { resultInfo } : {}),
      ...(explanation ? { explanation: { outcome: explanation.outcome, cause: explanation.cause, action: explanation.action } } : {}),
    });
  }

  private known(id: string): boolean {
    return this.record.doneEffects.includes(id) || this.record.outbox.some((item) => item.id === id);
  }

  effect(id: string, action: OutboxAction): void {
    if (this.known(id)) return;
    const item: OutboxItem = { id, action, attempts: 0, claimedBy: this.ctx.replicaId, claimedAt: this.ctx.now.getTime() };
    this.record.outbox.push(item);
    this.changed = true;
  }

  /** Event ids count up per call, so a repeated cause (established → hold → established) gets a fresh id. */
  publish<K extends CallEventType>(type: K, fields: Record<string, unknown>): void {
    this.record.eventCount += 1;
    const key = `${this.record.eventCount}:${type}`;
    const event = {
      eventId: `${this.record.callId}:${key}`,
      callId: this.record.callId,
      tenantId: this.record.tenantId,
      occurredAt: this.ctx.now.toISOString(),
      type,
      ...fields,
    } as CallEvent;
    this.effect(`event:${key}`, { kind: 'publish', event });
  }
}
