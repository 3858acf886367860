import { isHeartbeatStale, type MediaHeartbeat } from '@switchboard/nats-contracts';

export type PodChoice = { kind: 'chosen'; heartbeat: MediaHeartbeat } | { kind: 'none'; reason: string };

/** Why a pod cannot take a new call, or undefined when it can. */
export function unplaceableReason(heartbeat: MediaHeartbeat, now: number): string | undefined {
  if (heartbeat.draining) return 'draining';
  if (isHeartbeatStale(heartbeat, now)) return 'heartbeat stale';
  if (heartbeat.activeCalls >= heartbeat.maxCalls) return 'full';
  if (!heartbeat.grpcTarget) return 'no gRPC target';
  return undefined;
}

/**
 * The least-loaded pod that can take a call: lowest share of its capacity in use, then fewest calls, then name
 * (so replicas deciding on the same heartbeats agree). `exclude` names pods already tried for this call.
 */
export function choosePod(heartbeats: readonly MediaHeartbeat[], now: number, exclude: ReadonlySet<string> = new Set()): PodChoice {
  const refused: string[] = [];
  let best: MediaHeartbeat | undefined;
  for (const heartbeat of heartbeats) {
    if (exclude.has(heartbeat.pod)) continue;
    const reason = unplaceableReason(heartbeat, now);
    if (reason) {
      refused.push(`${heartbeat.pod} ${reason}`);
      continue;
    }
    if (!best || lighter(heartbeat, best)) best = heartbeat;
  }
  if (best) return { kind: 'chosen', heartbeat: best };
  if (!heartbeats.length) return { kind: 'none', reason: 'no media pod is registered' };
  const tried = [...exclude].map((pod) => `${pod} refused the call`);
  return { kind: 'none', reason: `no media pod can take the call (${[...refused, ...tried].join(', ')})` };
}

function lighter(a: MediaHeartbeat, b: MediaHeartbeat): boolean {
  const loadA = a.activeCalls / a.maxCalls;
  const loadB = b.activeCalls / b.maxCalls;
  if (loadA !== loadB) return loadA < loadB;
  if (a.activeCalls !== b.activeCalls) return a.activeCalls < b.activeCalls;
  return a.pod < b.pod;
}
