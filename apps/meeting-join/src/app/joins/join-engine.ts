import type { JetStreamClient } from 'nats';
import type { Decision, LogFn } from '@switchboard/jetstream';
import type { CallEvent, MeetingNames } from '@switchboard/nats-contracts';
import { applyCallEvent, moveTo, type JoinOutboxItem, type JoinRecord, type JoinTask } from './join-record';
import { JoinConflict, type JoinStore, type StoredJoin } from './join-store';
import type { SignalingCalls } from './signaling-calls';

export interface EngineSettings {
  /** Deliveries of one place attempt while signaling is unavailable (503, no answer) before the join fails. */
  maxPlaceTries: number;
  /** A scheduled task is held back at most this long at a time, then looked at again. */
  maxHoldMs: number;
  log: LogFn;
  now?: () => Date;
}

/** Call events a join follows; the others are acked at once. */
const followed: ReadonlySet<CallEvent['type']> = new Set(['participants-updated', 'established', 'state-changed', 'terminated']);
const UNKNOWN_CALL_RETRY_MS = 500;
const UNKNOWN_CALL_GRACE_MS = 5_000;

const itemKey = (item: JoinOutboxItem): string => (item.kind === 'event' ? item.event.eventId : `task:${item.task.attempt}`);

/**
 * Moves joins along: places a join's call when its task is due, follows signaling's call events, and leaves on
 * request. Every change is a compare-and-set write of the join; what it decides (meeting events, the next attempt's
 * task) is stored in the join's outbox first and published after, with message ids that make a repeat harmless, so a
 * replica dying between the two loses nothing: the next delivery publishes what is left.
 */
export class JoinEngine {
  private readonly now: () => Date;

  constructor(
    readonly store: JoinStore,
    private readonly js: JetStreamClient,
    private readonly names: MeetingNames,
    private readonly calls: SignalingCalls,
    private readonly settings: EngineSettings,
  ) {
    this.now = settings.now ?? (() => new Date());
  }

  /** Stores a new join (once per id) and publishes what it decided; an existing join with that id is returned as it is. */
  async create(record: JoinRecord): Promise<{ stored: StoredJoin; created: boolean }> {
    let created = true;
    try {
      await this.store.write(record, undefined);
    } catch (error) {
      if (!(error instanceof JoinConflict)) throw error;
      created = false;
    }
    const stored = await this.store.get(record.id);
    if (!stored) throw new Error(`join ${record.id} vanished after it was written`);
    return { stored: await this.flush(stored), created };
  }

  /** Places the call of a due task. Idempotent: a stale task, or one whose call exists, is acked. */
  async handleTask(task: JoinTask, deliveries: number): Promise<Decision> {
    const current = await this.store.get(task.joinId);
    if (!current) return { kind: 'done', note: 'ignored' };
    await this.flush(current);
    const due = (task.dueAt ?? 0) - this.now().getTime();
    if (current.record.attempts === task.attempt && current.record.state === 'scheduled' && due > 0) {
      return { kind: 'hold', delayMs: Math.min(due, this.settings.maxHoldMs) };
    }
    const claimed = await this.update(task.joinId, (r) => {
      if (r.attempts !== task.attempt || (r.state !== 'scheduled' && r.state !== 'requested')) return false;
      moveTo(r, 'joining', this.now());
      return true;
    });
    const record = claimed?.record;
    if (!record || record.attempts !== task.attempt || record.state !== 'joining' || record.callId) return { kind: 'done', note: 'ignored' };
    await this.store.placing(record.id, true);
    const answer = await this.calls.place(record);
    if (!answer.ok && (answer.status >= 500 || answer.code === 'RequestInProgress') && deliveries < this.settings.maxPlaceTries) {
      return { kind: 'retry', reason: `placing the call: ${answer.code}: ${answer.message}` };
    }
    if (answer.ok) await this.placed(record, String(answer.result['callId']), answer.result['myParticipantId']);
    else {
      const code = answer.status >= 500 ? 'unavailable' : 'refused';
      await this.update(record.id, (r) => {
        if (r.attempts !== task.attempt || r.state !== 'joining') return false;
        moveTo(r, 'failed', this.now(), { code, message: `signaling could not place the call: ${answer.code}: ${answer.message}` });
        return true;
      });
    }
    await this.store.placing(record.id, false);
    return { kind: 'done' };
  }

  private async placed(record: JoinRecord, callId: string, myParticipantId: unknown): Promise<void> {
    await this.store.indexCall(callId, record.id);
    const after = await this.update(record.id, (r) => {
      if (r.attempts !== record.attempts || r.callId) return false;
      r.callId = callId;
      if (typeof myParticipantId === 'string') r.myParticipantId = myParticipantId;
      r.updatedAt = this.now().toISOString();
      return true;
    });
    // A leave asked for while the call was being placed takes effect now that there is a call to leave.
    if (after?.record.leaveRequested) await this.calls.hangUp(callId);
    this.settings.log('info', 'meeting join placed', { joinId: record.id, callId, attempt: record.attempts });
  }

  /** Applies a call event to the join following its call. */
  async handleCallEvent(event: CallEvent, firstLookAgeMs: number | undefined): Promise<Decision> {
    if (!followed.has(event.type)) return { kind: 'done', note: 'ignored' };
    const joinId = await this.store.joinOfCall(event.callId);
    if (!joinId) {
      // The call's first events can come before its place answer was stored; other calls are not ours.
      const early = firstLookAgeMs !== undefined && firstLookAgeMs < UNKNOWN_CALL_GRACE_MS && (await this.store.anyPlacing());
      return early ? { kind: 'hold', delayMs: UNKNOWN_CALL_RETRY_MS } : { kind: 'done', note: 'ignored' };
    }
    const before = await this.store.get(joinId);
    if (!before) return { kind: 'done', note: 'ignored' };
    // Indexed, but the join's own write of the call id is still on its way.
    if (!before.record.callId && firstLookAgeMs !== undefined && firstLookAgeMs < UNKNOWN_CALL_GRACE_MS) return { kind: 'hold', delayMs: UNKNOWN_CALL_RETRY_MS };
    await this.update(joinId, (r) => applyCallEvent(r, event, this.now()));
    return { kind: 'done' };
  }

  /** Leaves the meeting, or cancels a join not placed yet. Undefined when there is no such join. */
  async leave(id: string): Promise<{ record: JoinRecord; outcome: 'cancelled' | 'leaving' | 'ended' } | undefined> {
    let outcome = 'ended' as 'cancelled' | 'leaving' | 'ended';
    const stored = await this.update(id, (r) => {
      if (r.state === 'scheduled' || r.state === 'requested') {
        outcome = 'cancelled';
        moveTo(r, 'cancelled', this.now(), { code: 'cancelled', message: 'the join was cancelled before the call was placed' });
        return true;
      }
      if (r.state === 'joining' || r.state === 'inLobby' || r.state === 'joined') {
        outcome = 'leaving';
        if (r.leaveRequested) return false;
        r.leaveRequested = true;
        r.updatedAt = this.now().toISOString();
        return true;
      }
      outcome = 'ended';
      return false;
    });
    if (!stored) return undefined;
    const callId = stored.record.callId;
    if (outcome === 'leaving' && callId) {
      const answer = await this.calls.hangUp(callId);
      // 404/409: the call is gone or ending already; its terminated event settles the join.
      if (!answer.ok && answer.status >= 500) throw Object.assign(new Error(answer.message), { status: answer.status, code: answer.code });
    }
    return { record: stored.record, outcome };
  }

  /** A compare-and-set change, then the outbox it left published. */
  private async update(id: string, change: (r: JoinRecord) => boolean): Promise<StoredJoin | undefined> {
    const stored = await this.store.update(id, change);
    return stored ? this.flush(stored) : undefined;
  }

  /** Publishes the outbox (message ids make repeats harmless), then removes what was published. */
  private async flush(stored: StoredJoin): Promise<StoredJoin> {
    const items = stored.record.outbox;
    if (items.length === 0) return stored;
    for (const item of items) {
      if (item.kind === 'event') {
        await this.js.publish(this.names.eventSubject(item.event.type), JSON.stringify(item.event), { msgID: item.event.eventId });
      } else {
        await this.js.publish(this.names.taskSubject(item.task.joinId), JSON.stringify(item.task), { msgID: `${item.task.joinId}:${itemKey(item)}` });
      }
    }
    const done = new Set(items.map(itemKey));
    return (
      (await this.store.update(stored.record.id, (r) => {
        const left = r.outbox.filter((i) => !done.has(itemKey(i)));
        if (left.length === r.outbox.length) return false;
        r.outbox = left;
        return true;
      })) ?? stored
    );
  }
}
