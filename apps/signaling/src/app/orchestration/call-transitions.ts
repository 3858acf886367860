import type { CallState } from '@switchboard/graph-models';

/**
 * How far along its life a state is. Notifications can arrive out of order (establishing/established are
 * documented to), so a state only replaces one of lower rank; hold and established swap freely.
 */
const rank: Record<CallState, number> = {
  incoming: 0,
  establishing: 1,
  ringing: 1,
  established: 2,
  hold: 2,
  redirecting: 3,
  transferring: 3,
  transferAccepted: 4,
  terminating: 8,
  terminated: 9,
};

/** A failed transfer or redirect returns the call to established (contract §3, transfer flow). */
const recoveries = new Set<CallState>(['transferring', 'transferAccepted', 'redirecting']);

export function canTransition(from: CallState, to: CallState): boolean {
  if (from === to || from === 'terminated') return false;
  if (to === 'established' && recoveries.has(from)) return true;
  if (rank[to] === rank[from]) return from !== 'incoming';
  return rank[to] > rank[from];
}
