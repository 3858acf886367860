import type { CallRecord, OperationRecord, OperationType, WireResultInfo } from './call-record';
import { newId } from './call-record';
import type { CallNotifications } from './call-notifications';
import { conflict, notFound } from './http-kit';

/** Every call the emulator knows, looked up the way Graph does, and the operations run on them. */
export class CallStore {
  private readonly calls = new Map<string, CallRecord>();

  constructor(private readonly notify: CallNotifications) {}

  add(call: CallRecord): void {
    this.calls.set(call.id, call);
  }

  all(): CallRecord[] {
    return [...this.calls.values()];
  }

  /** A live call; ended calls are gone for the Graph API (404), as in Graph. */
  live(id: string): CallRecord {
    const call = this.calls.get(id.toLowerCase());
    if (!call || call.state === 'terminated') throw notFound(`Call '${id}' was not found.`);
    return call;
  }

  /** Any call, ended or not (the control API shows ended calls too). */
  known(id: string): CallRecord {
    const call = this.calls.get(id.toLowerCase());
    if (!call) throw notFound(`Call '${id}' was not found.`);
    return call;
  }

  requireState(call: CallRecord, action: string, ...states: CallRecord['state'][]): void {
    if (!states.includes(call.state)) {
      throw conflict(`Cannot ${action} call '${call.id}' in state '${call.state}'; expected ${states.join(' or ')}.`);
    }
  }

  newOperation(
    call: CallRecord,
    type: OperationType,
    status: OperationRecord['status'],
    clientContext: string | undefined,
    result: WireResultInfo | null = null,
  ): OperationRecord {
    const op: OperationRecord = { id: newId(), type, status, clientContext, resultInfo: result, timers: new Set(), createdAt: new Date().toISOString() };
    call.operations.set(op.id, op);
    return op;
  }

  /** A `running` operation reaches its final state and the bot hears of it (nothing after termination). */
  finish(call: CallRecord, op: OperationRecord, status: 'completed' | 'failed', result: WireResultInfo, reason?: string): void {
    if (call.state === 'terminated' || op.status !== 'running') return;
    Object.assign(op, { status, resultInfo: result, completionReason: reason ?? op.completionReason });
    this.notify.operationDone(call, op);
  }

  operation(callId: string, operationId: string): OperationRecord {
    const op = this.live(callId).operations.get(operationId);
    if (!op) throw notFound(`Operation '${operationId}' was not found on call '${callId}'.`);
    return op;
  }
}
