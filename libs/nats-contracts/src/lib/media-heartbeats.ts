import { z } from 'zod';

/** How often a media pod writes its heartbeat, unless configured otherwise. */
export const DEFAULT_MEDIA_HEARTBEAT_INTERVAL_MS = 5_000;
/** The media pods bucket keeps an entry this many intervals after its last write, then drops it. */
export const MEDIA_HEARTBEAT_TTL_INTERVALS = 6;
/** A heartbeat older than this many intervals means the pod stopped sending: it is not placed on. */
export const MEDIA_HEARTBEAT_STALE_INTERVALS = 3;

/** A pod name as one KV key (StatefulSet names: lower-case letters, digits, dashes and dots). */
export const mediaPodNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/, 'must be a pod name (letters, digits, ".", "_", "-")');

/**
 * What a media pod puts under its own name in the media pods KV bucket every interval: its load, so signaling can
 * place a call on the least-loaded pod that is not draining, and `at`, so a pod that stopped is recognised.
 */
export const mediaHeartbeatSchema = z.object({
  pod: mediaPodNameSchema,
  /** Calls prepared or streaming on the pod. */
  activeCalls: z.number().int().nonnegative(),
  maxCalls: z.number().int().positive(),
  /** A draining pod finishes its calls and takes no new one. */
  draining: z.boolean(),
  /** When the pod wrote this heartbeat (ISO 8601, UTC). */
  at: z.iso.datetime(),
  /** The pod's heartbeat interval, so readers judge staleness by the writer's own pace. */
  intervalMs: z.number().int().positive(),
  /** Where signaling reaches the pod's gRPC media service (host:port). */
  grpcTarget: z.string().min(1).optional(),
});
export type MediaHeartbeat = z.infer<typeof mediaHeartbeatSchema>;

/** How old a heartbeat is at `now`, in ms (negative when the writer's clock runs ahead). */
export function heartbeatAgeMs(heartbeat: Pick<MediaHeartbeat, 'at'>, now = Date.now()): number {
  return now - Date.parse(heartbeat.at);
}

/** True when the pod has missed enough heartbeats to count as stopped. */
export function isHeartbeatStale(heartbeat: Pick<MediaHeartbeat, 'at' | 'intervalMs'>, now = Date.now()): boolean {
  return heartbeatAgeMs(heartbeat, now) > heartbeat.intervalMs * MEDIA_HEARTBEAT_STALE_INTERVALS;
}
