import { explainResult } from '@switchboard/graph-models';
import {
  finalJoinStates,
  type CallEvent,
  type JoinReason,
  type JoinRequest,
  type JoinResult,
  type JoinState,
  type JoinView,
  type MeetingEvent,
  type RosterParticipant,
} from '@switchboard/nats-contracts';

/** Placing a join's call: one task per attempt, held until `dueAt` (a scheduled join). */
export interface JoinTask {
  joinId: string;
  attempt: number;
  dueAt?: number;
}

/** Something decided with a state change and carried out after it was stored (then removed in another write). */
export type JoinOutboxItem = { kind: 'event'; event: MeetingEvent } | { kind: 'task'; task: JoinTask };

/** One join in the KV bucket. `request` keeps the passcode or token: it is never shown (see `joinView`). */
export interface JoinRecord {
  id: string;
  state: JoinState;
  reason?: { code: JoinReason; message: string };
  result?: JoinResult;
  request: JoinRequest;
  requestedBy: string;
  callId?: string;
  /** The bot's roster id in the call: how its lobby state is told apart from everyone else's. */
  myParticipantId?: string;
  dueAt?: string;
  /** Attempts at placing the call so far; the current task carries this number. */
  attempts: number;
  maxAttempts: number;
  /** A leave (or cancel) was asked for: the call is hung up once it exists, and its end reads as left on request. */
  leaveRequested?: boolean;
  participants: RosterParticipant[];
  /** The number of the call event whose roster is applied: an older roster arriving late changes nothing. */
  rosterEventNumber?: number;
  eventCount: number;
  history: { at: string; state: JoinState; reason?: { code: JoinReason; message: string } }[];
  outbox: JoinOutboxItem[];
  createdAt: string;
  updatedAt: string;
}

export const HISTORY_LIMIT = 100;

export function newJoin(options: { id: string; request: JoinRequest; requestedBy: string; now: Date; dueAt?: Date; maxAttempts: number }): JoinRecord {
  const at = options.now.toISOString();
  const record: JoinRecord = {
    id: options.id,
    state: 'requested',
    request: options.request,
    requestedBy: options.requestedBy,
    attempts: 1,
    maxAttempts: options.maxAttempts,
    participants: [],
    eventCount: 0,
    history: [],
    outbox: [],
    createdAt: at,
    updatedAt: at,
    ...(options.dueAt ? { dueAt: options.dueAt.toISOString() } : {}),
  };
  const scheduled = options.dueAt !== undefined && options.dueAt.getTime() > options.now.getTime();
  moveTo(record, scheduled ? 'scheduled' : 'requested', options.now);
  record.outbox.push({ kind: 'task', task: { joinId: record.id, attempt: 1, ...(scheduled && options.dueAt ? { dueAt: options.dueAt.getTime() } : {}) } });
  return record;
}

/** Enters `to` (once), recording it in the history and deciding its `state-changed` event. */
export function moveTo(record: JoinRecord, to: JoinState, now: Date, reason?: { code: JoinReason; message: string }, result?: JoinResult): void {
  if (record.state === to && record.history.length > 0) return;
  const from = record.history.length > 0 ? record.state : undefined;
  record.state = to;
  if (reason) record.reason = reason;
  if (result) record.result = result;
  const at = now.toISOString();
  record.history.push({ at, state: to, ...(reason ? { reason } : {}) });
  if (record.history.length > HISTORY_LIMIT) record.history.splice(0, record.history.length - HISTORY_LIMIT);
  emit(record, now, { type: 'state-changed', ...(from ? { from } : {}), to, ...(reason ? { reason } : {}), ...(result ? { result } : {}) });
  record.updatedAt = at;
}

type EventFields = { type: 'state-changed'; from?: JoinState; to: JoinState; reason?: JoinRecord['reason']; result?: JoinResult } | { type: 'participants-updated'; participants: RosterParticipant[]; joined: string[]; left: string[] };

function emit(record: JoinRecord, now: Date, fields: EventFields): void {
  record.eventCount += 1;
  const event = {
    eventId: `${record.id}:${record.eventCount}:${fields.type}`,
    joinId: record.id,
    occurredAt: now.toISOString(),
    ...(record.callId ? { callId: record.callId } : {}),
    ...fields,
  } as MeetingEvent;
  record.outbox.push({ kind: 'event', event });
}

/** The Graph result of a call's end, decoded for the API. */
export function decodedResult(resultInfo: { code: number; subcode: number; message?: string } | undefined): JoinResult | undefined {
  if (!resultInfo) return undefined;
  const { outcome, cause, action } = explainResult(resultInfo);
  return { code: resultInfo.code, subcode: resultInfo.subcode, ...(resultInfo.message ? { message: resultInfo.message } : {}), outcome, cause, action };
}

const isPair = (r: JoinResult | undefined, code: number, subcodes: number[]) => r !== undefined && r.code === code && subcodes.includes(r.subcode);

/** The event's number in its call (`<callId>:<n>:<type>`), which orders a call's events. */
const eventNumber = (eventId: string): number | undefined => {
  const n = Number(eventId.split(':').at(-2));
  return Number.isInteger(n) ? n : undefined;
};

/**
 * Applies one of signaling's call events to the join following that call. Pure; returns whether the record changed.
 * Events may arrive late or twice: a roster older than the one applied is skipped, and a state only moves forward.
 */
export function applyCallEvent(record: JoinRecord, event: CallEvent, now: Date): boolean {
  if (event.callId.toLowerCase() !== record.callId?.toLowerCase() || finalJoinStates.has(record.state)) return false;
  const before = JSON.stringify(record);
  if (event.type === 'participants-updated') applyRoster(record, event, now);
  else if (event.type === 'established' || (event.type === 'state-changed' && event.to === 'established')) admitted(record, now);
  else if (event.type === 'terminated') ended(record, decodedResult(event.resultInfo), now);
  return JSON.stringify(record) !== before;
}

function applyRoster(record: JoinRecord, event: Extract<CallEvent, { type: 'participants-updated' }>, now: Date): void {
  const n = eventNumber(event.eventId);
  if (n !== undefined && record.rosterEventNumber !== undefined && n <= record.rosterEventNumber) return;
  if (n !== undefined) record.rosterEventNumber = n;
  record.participants = event.participants;
  emit(record, now, { type: 'participants-updated', participants: event.participants, joined: event.joined, left: event.left });
  const bot = event.participants.find((p) => p.id === record.myParticipantId);
  if (bot?.inLobby && record.state === 'joining') moveTo(record, 'inLobby', now);
}

function admitted(record: JoinRecord, now: Date): void {
  if (record.state === 'joining' || record.state === 'inLobby') {
    delete record.reason;
    moveTo(record, 'joined', now);
  }
}

function ended(record: JoinRecord, result: JoinResult | undefined, now: Date): void {
  const leave = (code: JoinReason, message: string) => moveTo(record, 'left', now, { code, message }, result);
  const fail = (code: JoinReason, message: string) => moveTo(record, 'failed', now, { code, message }, result);
  if (record.leaveRequested) return leave('leftOnRequest', 'the bot left the meeting as asked');
  if (isPair(result, 200, [5001, 5003])) return record.state === 'joined' ? leave('meetingEnded', 'the meeting ended') : fail('meetingEnded', 'the meeting has ended');
  if (record.state === 'joined') {
    return isPair(result, 200, [5000, 5300]) ? leave('removed', 'a participant removed the bot') : leave('callEnded', result?.cause ?? 'the call ended');
  }
  if (isPair(result, 200, [5855])) return fail('lobbyTimeout', 'nobody admitted the bot from the lobby in time');
  if (record.state === 'inLobby' && isPair(result, 200, [5000, 5300])) return fail('notAdmitted', 'the bot was denied entry from the lobby');
  // A server-side failure before the bot got in may pass: place the call again, within the limit.
  if (result?.outcome === 'serverError' && record.attempts < record.maxAttempts) return retry(record, now, result);
  fail(result?.outcome === 'serverError' ? 'attemptsExhausted' : 'callEnded', result?.cause ?? 'the call ended before the bot got in');
}

/** Places the call again: a new attempt, with its own task (and so its own idempotency key at signaling). */
export function retry(record: JoinRecord, now: Date, result?: JoinResult): void {
  record.attempts += 1;
  delete record.callId;
  delete record.myParticipantId;
  record.participants = [];
  delete record.rosterEventNumber;
  moveTo(record, 'requested', now, { code: 'unavailable', message: `attempt ${record.attempts - 1} failed${result ? `: ${result.cause}` : ''}; trying again` }, result);
  record.outbox.push({ kind: 'task', task: { joinId: record.id, attempt: record.attempts } });
}

/** The API's view of a join: never the passcode or the token. */
export function joinView(record: JoinRecord): JoinView {
  const r = record.request;
  const meeting: JoinView['meeting'] =
    r.joinUrl !== undefined ? { by: 'joinUrl', joinUrl: stripQuery(r.joinUrl) } : r.meetingId !== undefined ? { by: 'meetingId', meetingId: r.meetingId } : { by: 'token' };
  return {
    id: record.id,
    state: record.state,
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.result ? { result: record.result } : {}),
    ...(record.callId ? { callId: record.callId } : {}),
    meeting,
    as: r.as,
    ...(r.displayName ? { displayName: r.displayName } : {}),
    ...(record.dueAt ? { dueAt: record.dueAt } : {}),
    attempts: record.attempts,
    history: record.history,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** A short link's `?p=` is the passcode: the view keeps a link's host and path, and a meetup-join context (tenant, organizer). */
function stripQuery(link: string): string {
  try {
    const url = new URL(link);
    if (url.searchParams.has('p')) url.searchParams.delete('p');
    return url.toString();
  } catch {
    return '';
  }
}
