import { readNotification } from '@switchboard/graph-models';
import type { CallInput, StoredNotification } from '@switchboard/nats-contracts';
import type { CallRecord, OutboxItem } from './call-record';
import { reduceCall, type FlowDirectory, type ReducerInput } from './call-reducer';
import { CallStateStore, RevisionConflict, type StoredCall } from './call-state-store';
import type { EffectExecutor } from './effect-executor';
import { callEventId, effectId, failureRequestId } from './effect-ids';
import type { RecordingTokenSeal } from '../recordings/recording-token-seal';
import type { EffectOutcome, OrchestrationObserver } from './orchestration.metrics';
import type { FailureClassifier } from './ports';

/** What a call's consumers feed the orchestrator: Graph notifications and the inputs signaling scheduled. */
export type OrchestratorInput = { kind: 'notification'; stored: StoredNotification } | CallInput;

export interface OrchestratorOptions {
  replicaId: string;
  keepAliveIntervalMs: number;
  /** Time between renewals of a recording grant's lease while Graph records. */
  grantRenewalIntervalMs?: number;
  flows: FlowDirectory;
  /** Seals recording access tokens before they are stored in a record's outbox. */
  recordingTokens: Pick<RecordingTokenSeal, 'seal'>;
  /** A claim older than this is taken over: its replica is presumed dead. Keep it below the consumer's ack wait. */
  claimLeaseMs: number;
  /** Attempts before an effect is dropped and reported as failed. */
  maxEffectAttempts: number;
  log: (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) => void;
  observer?: OrchestrationObserver;
  /** Whether new calls are taken now (see `AdmissionControl`); without it, always. */
  admission?: { admitting(): boolean };
}

/**
 * `ignored`: deliberately without effect (an unknown call, a stale timer). `uninterpretable`: a stored notification
 * (or part of one) that the readers could not interpret; whatever else it said has been applied, and the consumer
 * dead-letters it with the reason instead of acknowledging it away.
 */
export type HandleOutcome =
  | { kind: 'applied'; record: CallRecord }
  | { kind: 'ignored'; reason: string; unknownCall: boolean }
  | { kind: 'uninterpretable'; reason: string };

/** Thrown after a transient effect failure was recorded, so the notification is redelivered later. */
export class EffectRetryLater extends Error {
  override readonly name = 'EffectRetryLater';
}

const MAX_CAS_ROUNDS = 25;

/** A guess that a call has no record yet (see `casLoop`). */
const ABSENT = Symbol('absent');

/** What `casLoop` is told to do with the record it read: write it, keep it as is, or ignore the input. */
type CasDecision = { write: CallRecord } | { keep: CallRecord } | { ignored: string; unknownCall: boolean };

/**
 * Applies notifications to call records (compare-and-set, retried on conflict) and carries out the outbox items
 * this replica holds. Each item leaves the outbox in a second compare-and-set once done, so nothing is done twice
 * by design, and nothing decided is lost when a replica dies: its items are taken over after the claim lease.
 */
export class CallOrchestrator {
  constructor(
    private readonly store: CallStateStore,
    private readonly executor: EffectExecutor,
    private readonly classify: FailureClassifier,
    private readonly options: OrchestratorOptions,
  ) {}

  async handle(callId: string, input: OrchestratorInput, now = () => new Date()): Promise<HandleOutcome> {
    if (input.kind !== 'notification') return this.apply(callId, input, input, now);
    const facts = readNotification(input.stored.notification);
    const unreadable = facts.flatMap((f) => (f.type === 'unrecognised' ? [f.reason] : []));
    const readable = facts.filter((f) => f.type !== 'unrecognised');
    const joinAnswer = input.stored.answer;
    const outcome = readable.length ? await this.apply(callId, input, { kind: 'facts', facts: readable, ...(joinAnswer ? { joinAnswer } : {}) }, now) : undefined;
    if (unreadable.length) return { kind: 'uninterpretable', reason: unreadable.join('; ') };
    return outcome ?? { kind: 'ignored', reason: 'the notification says nothing', unknownCall: false };
  }

  private async apply(callId: string, input: OrchestratorInput, reducerInput: ReducerInput, now: () => Date): Promise<HandleOutcome> {
    const applied = await this.casLoop(callId, (current) => {
      const ctx = {
        now: now(),
        tenantId: input.kind === 'notification' ? input.stored.tenantId : (current?.tenantId ?? ''),
        replicaId: this.options.replicaId,
        keepAliveIntervalMs: this.options.keepAliveIntervalMs,
        ...(this.options.grantRenewalIntervalMs ? { grantRenewalIntervalMs: this.options.grantRenewalIntervalMs } : {}),
        flows: this.options.flows,
        sealToken: (token: string, boundTo: string) => this.options.recordingTokens.seal(token, boundTo),
        admitting: this.options.admission?.admitting() ?? true,
      };
      const result = reduceCall(current, reducerInput, ctx);
      if (result.kind === 'changed') {
        this.claimStale(result.record, ctx.now.getTime());
        return { write: result.record };
      }
      if (!current) return { ignored: result.kind === 'ignored' ? result.reason : 'nothing to apply', unknownCall: true };
      const record = bookkeepingDraft(current);
      return this.claimStale(record, ctx.now.getTime()) ? { write: record } : { keep: record };
    }, this.store.recent(callId) ?? ABSENT);
    if ('ignored' in applied) return { kind: 'ignored', reason: applied.ignored, unknownCall: applied.unknownCall };
    await this.runOwnItems(callId, applied);
    return { kind: 'applied', record: applied.record };
  }

  /** Takes over items whose claim is missing or older than the lease. */
  private claimStale(record: CallRecord, nowMs: number): boolean {
    let claimed = false;
    for (const item of record.outbox) {
      if (item.claimedBy && item.claimedAt !== undefined && nowMs - item.claimedAt < this.options.claimLeaseMs) continue;
      item.claimedBy = this.options.replicaId;
      item.claimedAt = nowMs;
      claimed = true;
    }
    return claimed;
  }

  /**
   * Carries out this replica's items in outbox order, re-reading the record after each step (a failure may add an
   * event). The publications and schedules up to the next other item go out together with it (JetStream keeps their
   * order on the one connection, and their message ids make a repeat harmless), and all of them leave the outbox in
   * one write; Graph requests go one by one. An incoming call's answer is thereby not delayed by its `incoming` event.
   */
  private async runOwnItems(callId: string, stored: StoredCall): Promise<void> {
    let current = stored;
    for (let batch = nextBatch(current.record, this.options.replicaId); batch.length; batch = nextBatch(current.record, this.options.replicaId)) {
      const from = current.record;
      const outcomes = await Promise.all(batch.map((item) => this.attempt(item, from)));
      const done = outcomes.filter((o) => o.error === undefined).map((o) => o.item);
      if (done.length) current = await this.settle(current, done);
      for (const failed of outcomes.filter((o) => o.error !== undefined)) current = await this.recordFailure(current, failed.item, failed.error);
    }
  }

  private async attempt(item: OutboxItem, record: CallRecord): Promise<{ item: OutboxItem; error?: unknown }> {
    const started = performance.now();
    const observe = (outcome: EffectOutcome) => this.options.observer?.effect(item.action.kind, outcome, (performance.now() - started) / 1000);
    try {
      await this.executor.execute(item.action, record);
      observe('done');
      return { item };
    } catch (error) {
      observe(this.classify(error) === 'transient' && item.attempts + 1 < this.options.maxEffectAttempts ? 'retry' : 'dropped');
      return { item, error: error ?? new Error('effect failed') };
    }
  }

  /** Releases the item for a retry (and throws), or drops it for good and reports it with an `effect-failed` event. */
  private async recordFailure(known: StoredCall, item: OutboxItem, failure: unknown): Promise<StoredCall> {
    const callId = known.record.callId;
    const message = failure instanceof Error ? failure.message : String(failure);
    const kind = this.classify(failure);
    const exhausted = item.attempts + 1 >= this.options.maxEffectAttempts;
    this.options.log(kind === 'permanent' || (kind === 'transient' && exhausted) ? 'error' : 'warn', 'effect failed', {
      callId,
      effect: item.id,
      attempt: item.attempts + 1,
      failure: kind,
      error: message,
    });
    if (kind === 'transient' && !exhausted) {
      await this.update(known, (record) => {
        const pending = record.outbox.find((i) => i.id === item.id);
        if (!pending) return;
        pending.attempts += 1;
        delete pending.claimedBy;
        delete pending.claimedAt;
      });
      throw new EffectRetryLater(`effect ${item.id} of call ${callId} will be retried: ${message}`);
    }
    return this.settle(known, [item], (record) => {
      if (item.action.kind === 'publish') return;
      const now = Date.now();
      const claimed = { attempts: 0, claimedBy: this.options.replicaId, claimedAt: now };
      record.eventCount += 1;
      record.outbox.push({
        id: effectId({ kind: 'effect-failed-event', failed: item.id }),
        ...claimed,
        action: {
          kind: 'publish',
          event: {
            type: 'effect-failed',
            eventId: callEventId(callId, record.eventCount, 'effect-failed'),
            callId,
            tenantId: record.tenantId,
            occurredAt: new Date(now).toISOString(),
            effect: item.id,
            error: message.slice(0, 500),
          },
        },
      });
      // A flow waiting on this request hears that it failed, through the inputs stream like any other input.
      if (item.clientContext) {
        record.outbox.push({
          id: effectId({ kind: 'action-failed-input', failed: item.id }),
          ...claimed,
          action: { kind: 'schedule', input: { kind: 'action-failed', requestId: failureRequestId(item.id), clientContext: item.clientContext, error: message.slice(0, 1000) } },
        });
      }
    });
  }

  /** Removes finished items from the outbox (remembering effects, so they are never decided again), and applies `mutate` in the same write. */
  private settle(known: StoredCall, items: OutboxItem[], mutate: (record: CallRecord) => void = () => undefined): Promise<StoredCall> {
    const ids = new Set(items.map((i) => i.id));
    return this.update(known, (record) => {
      record.outbox = record.outbox.filter((i) => !ids.has(i.id));
      for (const item of items) if (item.action.kind !== 'publish') record.doneEffects.push(item.id);
      mutate(record);
    });
  }

  /**
   * Applies `mutate` to the record this replica last wrote or read (no read first); on a conflict, to the latest.
   * `mutate` gets a {@link bookkeepingDraft}: it may change the outbox, the done effects and the event count only.
   */
  private async update(known: StoredCall, mutate: (record: CallRecord) => void): Promise<StoredCall> {
    const callId = known.record.callId;
    const result = await this.casLoop(
      callId,
      (current) => {
        if (!current) return { ignored: `call ${callId} disappeared from the state store`, unknownCall: true };
        const record = bookkeepingDraft(current);
        mutate(record);
        return { write: record };
      },
      known,
    );
    if ('ignored' in result) throw new Error(result.ignored);
    return result;
  }

  /**
   * Read, decide, compare-and-set; again on conflict. `decide` returns what to write, the record to keep as is, or
   * that the notification is to be ignored. The first round may start from `known` instead of a read: what this
   * replica last read or wrote, or `ABSENT` (no record yet, as for a new call). Such a guess is trusted only when
   * its compare-and-set succeeds, which proves nobody wrote since; any other decision waits for a read, and is taken
   * again unless the read finds the very revision guessed (or again no record).
   */
  private async casLoop(
    callId: string,
    decide: (current: CallRecord | undefined) => CasDecision,
    known?: StoredCall | typeof ABSENT,
  ): Promise<StoredCall | { ignored: string; unknownCall: boolean }> {
    let snapshot = known;
    let unconfirmed: { revision: number | undefined; decision: CasDecision } | undefined;
    for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
      const guessed = snapshot !== undefined;
      const current = guessed ? (snapshot === ABSENT ? undefined : snapshot) : await this.store.get(callId);
      snapshot = undefined;
      const decision = unconfirmed && unconfirmed.revision === current?.revision ? unconfirmed.decision : decide(current?.record);
      unconfirmed = undefined;
      if (guessed && !('write' in decision)) {
        unconfirmed = { revision: current?.revision, decision };
        continue;
      }
      if ('ignored' in decision) return decision;
      if ('keep' in decision) return { record: decision.keep, revision: current?.revision ?? 0 };
      try {
        return { record: decision.write, revision: await this.store.write(decision.write, current?.revision) };
      } catch (error) {
        if (!(error instanceof RevisionConflict)) throw error;
      }
    }
    throw new Error(`call ${callId}: gave up after ${MAX_CAS_ROUNDS} concurrent updates`);
  }
}

/**
 * A copy of `record` for the orchestrator's own bookkeeping (claims and attempts of outbox items, items removed or
 * added, done effects, the event count): those parts are copied, the rest (flow state, history, roster) is shared with
 * the record the store remembers and must not be changed. A deep copy of the whole record for each of these writes
 * cost more CPU than encoding and writing it.
 */
function bookkeepingDraft(record: CallRecord): CallRecord {
  return { ...record, outbox: record.outbox.map((item) => ({ ...item })), doneEffects: [...record.doneEffects] };
}

const batchable = (item: OutboxItem) => item.action.kind === 'publish' || item.action.kind === 'schedule';

/** This replica's publications and schedules up to its next other item, with that item (at most one such). */
function nextBatch(record: CallRecord, replicaId: string): OutboxItem[] {
  const own = record.outbox.filter((item) => item.claimedBy === replicaId);
  const end = own.findIndex((item) => !batchable(item));
  return end < 0 ? own : own.slice(0, end + 1);
}
