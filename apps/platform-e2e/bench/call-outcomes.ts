import { summarizeLatencies, type LatencySummary } from '@switchboard/dev-infra';
import type { GraphRequestEntry, NotificationEntry } from './emulator-logs';

/** What happened to one offered call, from the emulator's point of view. */
export interface CallOutcome {
  callId: string;
  /** Incoming-call notification sent → answer request received, both on the emulator's clock. */
  setupMs?: number;
  /** Status the emulator gave the first answer request. */
  answerStatus?: number;
  /** Status the emulator gave the first reject request (the bot refused the call, e.g. busy). */
  rejectStatus?: number;
  /** Incoming-call notification sent → first accepted answer or reject request: how long the caller waited for a decision. */
  decidedMs?: number;
  /** A playPrompt was accepted (2xx) for the call. */
  prompted: boolean;
  /** The call's `terminated` result, once it ended. */
  ended?: { code: number; subcode: number };
}

/** A call counts as completed when it was answered, the welcome prompt started and the caller's hang-up ended it. */
export const isCompleted = (o: CallOutcome): boolean =>
  o.answerStatus !== undefined && o.answerStatus < 300 && o.prompted && o.ended?.code === 200;

/** Why a call did not complete, in a few words that group well. */
export function failureOf(o: CallOutcome): string | undefined {
  if (isCompleted(o)) return undefined;
  if (isRefused(o)) return 'refused';
  if (o.answerStatus === undefined) return o.ended ? `ended unanswered ${o.ended.code}/${o.ended.subcode}` : 'never answered';
  if (o.answerStatus >= 300) return `answer refused ${o.answerStatus}`;
  if (!o.ended) return 'still up after the wait';
  if (o.ended.code !== 200) return `ended ${o.ended.code}/${o.ended.subcode}`;
  return 'no welcome prompt';
}

const is2xx = (status: number) => status >= 200 && status < 300;

/** The bot refused the call (reject accepted by the emulator) and did not answer it. */
export const isRefused = (o: CallOutcome): boolean => o.rejectStatus !== undefined && is2xx(o.rejectStatus) && o.answerStatus === undefined;

/** Joins the emulator's logs into one outcome per call id (entries for other calls are ignored). */
export function callOutcomes(callIds: readonly string[], notifications: readonly NotificationEntry[], requests: readonly GraphRequestEntry[]): CallOutcome[] {
  const outcomes = new Map(callIds.map((id) => [id.toLowerCase(), { callId: id, prompted: false } as CallOutcome]));
  const incomingAt = new Map<string, number>();
  for (const n of notifications) {
    const outcome = outcomes.get(n.callId.toLowerCase());
    if (!outcome || n.resourceUrl.toLowerCase() !== `/communications/calls/${n.callId.toLowerCase()}`) continue;
    const call = resourceDataOf(n.body);
    if (n.changeType === 'created' && call?.['state'] === 'incoming' && !incomingAt.has(n.callId.toLowerCase())) incomingAt.set(n.callId.toLowerCase(), Date.parse(n.at));
    if (call?.['state'] === 'terminated') {
      const info = (call['resultInfo'] ?? {}) as { code?: number; subcode?: number };
      outcome.ended = { code: info.code ?? 0, subcode: info.subcode ?? 0 };
    }
  }
  for (const r of requests) {
    const outcome = r.callId ? outcomes.get(r.callId.toLowerCase()) : undefined;
    if (!outcome || r.method !== 'POST') continue;
    const action = r.path.split('?')[0].split('/').pop();
    const sent = incomingAt.get(outcome.callId.toLowerCase());
    if (action === 'answer' && outcome.answerStatus === undefined) {
      outcome.answerStatus = r.status;
      if (sent !== undefined && is2xx(r.status)) outcome.setupMs = Date.parse(r.at) - sent;
    }
    if (action === 'reject' && outcome.rejectStatus === undefined) outcome.rejectStatus = r.status;
    if ((action === 'answer' || action === 'reject') && is2xx(r.status) && sent !== undefined && outcome.decidedMs === undefined) outcome.decidedMs = Date.parse(r.at) - sent;
    if (action === 'playPrompt' && is2xx(r.status)) outcome.prompted = true;
  }
  return [...outcomes.values()];
}

function resourceDataOf(body: unknown): Record<string, unknown> | undefined {
  const first = (body as { value?: { resourceData?: unknown }[] } | undefined)?.value?.[0];
  const data = first?.resourceData;
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
}

/** One phase's figures: what was offered, what came of it, and the setup latency of the answered calls. */
export interface PhaseFigures {
  /** Target rate, calls per second. */
  rate: number;
  seconds: number;
  /** Calls the load generator asked the emulator for. */
  offered: number;
  /** Calls the emulator created (`POST /emulator/calls/incoming` 201) per second of the phase. */
  createdPerSecond: number;
  /** Requests to create a call that failed, by status or error. */
  dialErrors: Record<string, number>;
  answered: number;
  completed: number;
  /** Completed calls per second of the phase. */
  completedPerSecond: number;
  /** Calls the bot refused (reject) instead of answering. */
  refused: number;
  /** Calls neither answered nor refused within Graph's 15 s (the caller heard nothing, or the emulator gave up). */
  undecided: number;
  /** The longest wait for an answer or a refusal among the calls that got one. */
  maxDecisionMs: number;
  /** Calls that did not complete, by reason. */
  failures: Record<string, number>;
  latency: LatencySummary;
}

/** Graph's deadline for answering or refusing an incoming call (contract §4). */
export const DECISION_DEADLINE_MS = 15_000;

export function phaseFigures(rate: number, seconds: number, offered: number, dialErrors: Record<string, number>, outcomes: readonly CallOutcome[]): PhaseFigures {
  const failures: Record<string, number> = {};
  for (const o of outcomes) {
    const why = failureOf(o);
    if (why) failures[why] = (failures[why] ?? 0) + 1;
  }
  const setups = outcomes.flatMap((o) => (o.setupMs === undefined ? [] : [o.setupMs]));
  return {
    rate,
    seconds,
    offered,
    createdPerSecond: outcomes.length / seconds,
    dialErrors,
    answered: outcomes.filter((o) => o.answerStatus !== undefined && is2xx(o.answerStatus)).length,
    completed: outcomes.filter(isCompleted).length,
    completedPerSecond: outcomes.filter(isCompleted).length / seconds,
    refused: outcomes.filter(isRefused).length,
    undecided: outcomes.filter((o) => o.decidedMs === undefined || o.decidedMs > DECISION_DEADLINE_MS).length,
    maxDecisionMs: Math.max(0, ...outcomes.flatMap((o) => (o.decidedMs === undefined ? [] : [o.decidedMs]))),
    failures,
    latency: summarizeLatencies(setups),
  };
}

/** A step holds when every offered call was created and completed, and p99 setup stayed within the limit. */
export function stepHeld(f: PhaseFigures, p99LimitMs: number): boolean {
  return f.offered > 0 && f.completed === f.offered && f.latency.p99Ms <= p99LimitMs;
}
