import type { CallRecord, HistoryEntry } from '../orchestration/call-record';

/** What the API shows of a call: its state and parties, never the outbox, timers or effect bookkeeping. */
export interface CallView {
  callId: string;
  tenantId: string;
  state: CallRecord['state'];
  direction: CallRecord['direction'];
  handler: CallRecord['handler'];
  caller?: CallRecord['caller'];
  createdAt: string;
  updatedAt: string;
  resultInfo?: CallRecord['resultInfo'];
  flow?: { id: string; step: string; status: 'running' | 'finished'; finishedReason?: string };
  placedBy?: { subject: string };
}

export function callView(record: CallRecord): CallView {
  const flow = record.flow?.state;
  return {
    callId: record.callId,
    tenantId: record.tenantId,
    state: record.state,
    direction: record.direction,
    handler: record.handler,
    ...(record.caller ? { caller: record.caller } : {}),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.resultInfo ? { resultInfo: record.resultInfo } : {}),
    ...(flow
      ? { flow: { id: flow.flow.id, step: flow.step, status: flow.status, ...(flow.finishedReason ? { finishedReason: flow.finishedReason } : {}) } }
      : {}),
    ...(record.placedBy ? { placedBy: { subject: record.placedBy.subject } } : {}),
  };
}

export const callHistory = (record: CallRecord): { callId: string; history: HistoryEntry[] } => ({ callId: record.callId, history: record.history });
