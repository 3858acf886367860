import type { CallRecord, OperationRecord } from './call-record';

/**
 * Timers owned by a call (and optionally by one of its operations): ending the call clears them all,
 * so nothing scheduled for a call can fire after it terminated.
 */
export function after(call: CallRecord, ms: number, fn: () => void, op?: OperationRecord): NodeJS.Timeout {
  const timer = setTimeout(() => {
    call.timers.delete(timer);
    op?.timers.delete(timer);
    fn();
  }, ms);
  timer.unref();
  call.timers.add(timer);
  op?.timers.add(timer);
  return timer;
}

export function cancelTimer(call: CallRecord, timer: NodeJS.Timeout | undefined): void {
  if (!timer) return;
  clearTimeout(timer);
  call.timers.delete(timer);
}

/** Stops everything an operation has scheduled (its end, its limits). */
export function clearOperationTimers(call: CallRecord, op: OperationRecord): void {
  for (const timer of op.timers) cancelTimer(call, timer);
  op.timers.clear();
}

export function clearCallTimers(call: CallRecord): void {
  for (const timer of call.timers) clearTimeout(timer);
  call.timers.clear();
  call.keepAliveTimer = undefined;
}
