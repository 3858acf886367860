import { z } from 'zod';
import { envInt } from '@switchboard/service-kit';

/** Environment of the placement of app-hosted calls on media pods; merged into signaling's configuration schema. */
export const mediaPlacementEnv = z.object({
  /**
   * How long PrepareCall may take on one pod before the next is tried. The media service gives its bridge 10 s to
   * create the media session, so the default leaves it that and a little more.
   */
  MEDIA_PREPARE_TIMEOUT_MS: envInt({ min: 500, max: 60_000, fallback: 12_000 }),
  /**
   * Host of a pod's gRPC service, `{pod}` standing for the pod name (e.g. `{pod}.media-headless.switchboard.svc`);
   * the port is the one the pod reports. Unset: the pod's own `grpcTarget` as written in its heartbeat.
   */
  MEDIA_POD_HOST: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.{}_-]+$/, 'must be a host name, optionally with {pod} for the pod name (e.g. {pod}.media-headless)')
    .optional(),
  /** How often the pods' heartbeats are checked for pods that stopped (their calls are ended as media-lost). */
  MEDIA_POD_CHECK_INTERVAL_MS: envInt({ min: 200, max: 60_000, fallback: 2_000 }),
  /** How long the pod hosting an app-hosted call may take to answer a flow's command (play, record, cancel); then it is tried again. */
  MEDIA_COMMAND_TIMEOUT_MS: envInt({ min: 100, max: 60_000, fallback: 3_000 }),
});

export type MediaPlacementConfig = z.output<typeof mediaPlacementEnv>;
