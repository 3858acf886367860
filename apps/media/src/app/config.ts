import { hostname } from 'node:os';
import { DEFAULT_MEDIA_HEARTBEAT_INTERVAL_MS } from '@switchboard/nats-contracts';
import { recordingStorageEnv } from '@switchboard/recording-store';
import { envBool, envInt, envPort, httpEnv, logEnv, natsEnv } from '@switchboard/service-kit';
import { z } from 'zod';

export const SERVICE_NAME = 'media';

export const mediaConfigSchema = httpEnv.extend({
  ...logEnv.shape,
  ...natsEnv.shape,
  /** Recordings (the record verb, whole calls under a grant) go here; without a connection string nothing is recorded. */
  ...recordingStorageEnv.shape,
  /** How often the pod writes its load to the media pods bucket (signaling places calls by it). */
  HEARTBEAT_INTERVAL_MS: envInt({ min: 500, max: 60_000, fallback: DEFAULT_MEDIA_HEARTBEAT_INTERVAL_MS }),
  HTTP_PORT: envPort(3003),
  GRPC_PORT: envPort(50051),
  GRPC_HOST: z.string().trim().min(1, 'must not be empty').default('0.0.0.0'),
  /** Calls this pod takes at once (prepared + streaming). */
  MAX_CALLS: envInt({ min: 1, max: 10_000, fallback: 100 }),
  /** Stable pod identity (the StatefulSet pod name); calls are pinned to it. */
  POD_NAME: z.string().trim().min(1, 'must not be empty').default(hostname()),
  /** How long a drain waits for live calls before closing them. */
  DRAIN_GRACE_MS: envInt({ min: 0, max: 24 * 3600_000, fallback: 30 * 60_000 }),
  /** A prepared call that never opens a stream frees its slot after this long. */
  PREPARED_CALL_TTL_MS: envInt({ min: 1000, max: 3600_000, fallback: 120_000 }),
  /** The pod hosts Microsoft's media platform in a bridge container: PrepareCall needs the bridge connected. */
  MEDIA_BRIDGE_REQUIRED: envBool(false),
});

export type MediaConfig = z.output<typeof mediaConfigSchema>;
