import type { JetStreamClient, JsMsg } from 'nats';
import { callInputSchema, storedNotificationSchema, type NatsNames } from '@switchboard/nats-contracts';
import { PullWorker, type Decision, type Finding, type JetStreamPipeline, type LogFn, type WorkerOutcome } from '@switchboard/jetstream';
import type { AdmissionControl } from './admission-control';
import type { CallOrchestrator, OrchestratorInput } from './call-orchestrator';
import type { CallStateStore } from './call-state-store';
import type { KeyedSerializer } from './keyed-serializer';
import type { InputOutcome, OrchestrationObserver } from './orchestration.metrics';
import type { Lane, PriorityGate } from './priority-gate';

export interface ConsumerSettings {
  /** Deliveries an input gets (holds of a timer included); a failure on the last one dead-letters it. */
  maxDeliver: number;
  /** Messages this consumer holds at once; `gate` decides which of them are applied first. */
  prefetch: number;
  log: LogFn;
  observer?: OrchestrationObserver;
}

/** What all consumers of a replica share, so that their inputs are ordered and admitted as one. */
export interface ReplicaLoad {
  /** A call's inputs from every stream apply one at a time. */
  serializer: KeyedSerializer;
  /** How many inputs apply at once across calls; new calls first. */
  gate: PriorityGate;
  /** Learns how long notifications waited; tells the orchestrator whether to take new calls. */
  admission: AdmissionControl;
}

/** Where a consumer reads and how it decodes what it reads. */
export interface InputSource {
  stream: string;
  consumer: string;
  decode(msg: JsMsg): OrchestratorInput;
  /**
   * For an input about a call without a record, looked at (from `lookedAtMs`, local clock) soon after it was stored:
   * whether the record may still be on its way, so that the input deserves one more look.
   */
  recordMayFollow(msg: JsMsg, lookedAtMs: number): Promise<boolean>;
}

/** What tells a notification that may precede its call's record from one about a call nobody knows. */
export interface EarlyNotificationSigns {
  placements: Pick<CallStateStore, 'lastPlacementAt'>;
  notifications: Pick<JetStreamPipeline, 'firstMessage'>;
}

/** Longer than the API's wait for Graph to create a call (its Graph client times out after 10 s by default). */
const PLACEMENT_WINDOW_MS = 60_000;

export const notificationSource = (names: NatsNames, signs: EarlyNotificationSigns): InputSource => ({
  stream: names.notificationsStream,
  consumer: names.orchestratorConsumer,
  decode: (msg) => ({ kind: 'notification', stored: storedNotificationSchema.parse(msg.json()) }),
  /**
   * A record that does not exist yet may follow in two cases only. The API placed the call and writes the record once
   * Graph answered, and Graph can notify before that: the API marks each placement before asking Graph, so a mark not
   * older than the window says so. Or an earlier notification of the call (its `created`) is being applied by another
   * replica right now. Otherwise nobody knows the call and a second look would find nothing either.
   */
  recordMayFollow: async (msg, lookedAtMs) => {
    const storedAtMs = storedAt(msg);
    const [placedAtMs, first] = await Promise.all([
      signs.placements.lastPlacementAt(lookedAtMs),
      signs.notifications.firstMessage(names.notificationsStream, msg.subject),
    ]);
    return (placedAtMs !== undefined && placedAtMs >= storedAtMs - PLACEMENT_WINDOW_MS) || (first !== undefined && first.seq < msg.seq);
  },
});

/** Deliveries of a scheduled input: a timer is held back (nak with delay) until due, and each hold counts as one. */
export const SCHEDULED_INPUT_MAX_DELIVER = 50;

export const scheduledInputSource = (names: NatsNames): InputSource => ({
  stream: names.inputsStream,
  consumer: names.inputsConsumer,
  decode: (msg) => callInputSchema.parse(msg.json()),
  // Inputs are scheduled for calls with a record; one that comes first is rare enough to always look again.
  recordMayFollow: async () => true,
});

const UNKNOWN_CALL_GRACE_MS = 5000;
const UNKNOWN_CALL_RETRY_MS = 1000;

/** When the stream stored the message (the server's clock), in milliseconds. */
const storedAt = (msg: JsMsg): number => Number(msg.info.timestampNanos / 1_000_000);

/** The call a message is about: the last token of its subject (`….<callId>`). */
const callIdOf = (msg: JsMsg): string => msg.subject.slice(msg.subject.lastIndexOf('.') + 1);

const isNewCall = (input: OrchestratorInput): boolean =>
  input.kind === 'notification' && input.stored.notification.changeType === 'created' && callStateOf(input.stored.notification) === 'incoming';

/**
 * While the replica takes every new call, a new call waits for its answer (Graph gives up after 15 s) and goes first.
 * Over capacity (it takes only a share, and refuses the rest) new calls queue with the inputs of the calls already
 * taken: their prompts are due within moments, while a refusal has seconds to spare, and going first the refusals
 * would take the very slots the overload is shed for.
 */
export const laneOf = (input: OrchestratorInput, takingAll: boolean): Lane => (isNewCall(input) && takingAll ? 'urgent' : 'normal');

const callStateOf = (notification: { resourceData?: unknown }): unknown => {
  const data = notification.resourceData;
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as { state?: unknown }).state : undefined;
};

/** What the orchestration metrics call each settlement. */
const inputOutcome = (outcome: WorkerOutcome, decision: Decision | Finding): InputOutcome => {
  if (outcome === 'acked') return decision.kind === 'done' && decision.note === 'ignored' ? 'ignored' : 'applied';
  if (outcome === 'held') return 'held';
  if (outcome === 'retried') return 'redelivered';
  if (outcome === 'dead-letter-failed') return outcome;
  if (decision.kind === 'dead-letter' && decision.note === 'uninterpretable') return 'uninterpretable';
  return 'dead-lettered';
};

/**
 * Applies a call-input stream, pulled through the durable consumer every replica shares, on the shared JetStream
 * worker (its settlement policy: ack, nak with backoff, dead-letter after the last delivery or when a stored notification
 * cannot be interpreted, term when undecodable).
 * What is particular to call inputs: a timer that is not due yet is held until it is; an input for an unknown call
 * gets one more look shortly; the inputs of one call apply one at a time across both streams.
 */
export class CallInputConsumer {
  private readonly worker: PullWorker<OrchestratorInput>;

  constructor(
    js: JetStreamClient,
    names: NatsNames,
    private readonly source: InputSource,
    private readonly orchestrator: CallOrchestrator,
    private readonly load: ReplicaLoad,
    private readonly settings: ConsumerSettings,
  ) {
    this.worker = new PullWorker(js, {
      stream: source.stream,
      consumer: source.consumer,
      decode: (msg) => source.decode(msg),
      handle: (input, msg) => this.apply(input, msg),
      maxDeliver: settings.maxDeliver,
      concurrency: settings.prefetch,
      deadLetter: { subject: names.deadLetterSubject },
      log: settings.log,
      describe: (msg) => ({ callId: callIdOf(msg) }),
      observer: settings.observer && { settled: (stream, outcome, decision) => settings.observer?.input(stream, inputOutcome(outcome, decision)) },
    });
  }

  start(): Promise<void> {
    return this.worker.start();
  }

  /** Stops pulling and waits for the messages being applied. */
  stop(): Promise<void> {
    return this.worker.stop();
  }

  private async apply(input: OrchestratorInput, msg: JsMsg): Promise<Decision> {
    if (input.kind === 'timer' && input.dueAt > Date.now()) return { kind: 'hold', delayMs: input.dueAt - Date.now() };
    const callId = callIdOf(msg);
    const received = Date.now();
    const outcome = await this.load.serializer.run(callId, () => {
      // Time behind the call's previous input (its Graph request, say) says nothing about this replica's load.
      const behindCallMs = Date.now() - received;
      return this.load.gate.run(laneOf(input, this.load.admission.admittedShare() >= 1), () => {
        if (input.kind === 'notification' && msg.info.redeliveryCount === 1) this.observeWait(msg, behindCallMs);
        return this.orchestrator.handle(callId, input);
      });
    });
    if (outcome.kind === 'uninterpretable') {
      // Never acked away: the worker acks only once the dead-letter (with the reason) is stored.
      this.settings.log('error', 'uninterpretable notification dead-lettered', { callId, reason: outcome.reason });
      return { kind: 'dead-letter', reason: `uninterpretable: ${outcome.reason}`, note: 'uninterpretable' };
    }
    if (outcome.kind === 'applied') return { kind: 'done' };
    // A call the API just placed: Graph can notify before its record is written. Look again shortly.
    if (outcome.unknownCall && this.firstLookSoonAfterStoring(msg) && (await this.source.recordMayFollow(msg, received))) {
      return { kind: 'hold', delayMs: UNKNOWN_CALL_RETRY_MS };
    }
    this.settings.log('info', 'call input ignored', { callId, input: input.kind, reason: outcome.reason, delivery: msg.info.redeliveryCount });
    return { kind: 'done', note: 'ignored' };
  }

  /**
   * How long a notification waited for capacity (in JetStream until a replica took it, then for a slot here), and how
   * many are still waiting for a replica.
   */
  private observeWait(msg: JsMsg, behindCallMs: number): void {
    const waitMs = Math.max(0, Date.now() - storedAt(msg) - behindCallMs);
    this.load.admission.observe(waitMs);
    this.settings.observer?.waited(waitMs / 1000, msg.info.pending);
  }

  /**
   * On its first delivery, shortly after it was stored, an input for an unknown call may precede the call's record
   * (see `InputSource.recordMayFollow`). One more look a second later settles it, and keeps inputs for calls that are
   * really unknown from costing more than two deliveries.
   */
  private firstLookSoonAfterStoring(msg: JsMsg): boolean {
    return msg.info.redeliveryCount === 1 && Date.now() - storedAt(msg) < UNKNOWN_CALL_GRACE_MS;
  }
}
