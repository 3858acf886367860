import type { CallState, ResultInfo } from '@switchboard/graph-models';
import type { CallEvent, TimerInput } from '@switchboard/nats-contracts';

/** A Graph request the orchestrator decided to make; carried out once per `id`. */
export type GraphEffect =
  | { kind: 'answer' }
  | { kind: 'playPrompt'; promptUri: string; clientContext: string }
  | { kind: 'subscribeToTone'; clientContext: string }
  | { kind: 'keepAlive' };

export type OutboxAction =
  | GraphEffect
  | { kind: 'publish'; event: CallEvent }
  /** Schedules a timer input on the inputs stream (durable: it fires even if this replica is gone). */
  | { kind: 'arm-timer'; timer: TimerInput };

/**
 * An effect waiting to be carried out. It is claimed by the replica that wrote it; a claim older than the lease
 * may be taken over (the claimant died), which is how an accepted notification survives a killed replica.
 */
export interface OutboxItem {
  id: string;
  action: OutboxAction;
  claimedBy?: string;
  claimedAt?: number;
  attempts: number;
}

export interface Party {
  kind: string;
  id?: string;
  displayName?: string;
}

/** One call's state in the JetStream KV bucket. */
export interface CallRecord {
  callId: string;
  tenantId: string;
  direction: 'incoming' | 'outgoing';
  state: CallState;
  createdAt: string;
  updatedAt: string;
  caller?: Party;
  /** Events published so far; numbers the next event id. */
  eventCount: number;
  /** Highest toneInfo.sequenceId applied: tones at or below it are repeats. */
  lastToneSequence: number;
  /** Final status of operations already reported, so a repeated completion is not reported twice. */
  finishedOperations: string[];
  /** Ids of Graph effects carried out: an effect id is never added again. */
  doneEffects: string[];
  outbox: OutboxItem[];
  /** The armed timer per purpose; a fired timer with another id is stale. */
  timers: Partial<Record<TimerInput['purpose'], string>>;
  /** Timers armed so far; numbers the next timer id. */
  timerCount: number;
  resultInfo?: ResultInfo;
}
