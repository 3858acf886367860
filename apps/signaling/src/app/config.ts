import { hostname } from 'node:os';
import { z } from 'zod';
import { checkGraphCredentialEnv, graphClientEnvShape } from '@switchboard/graph-client';
import { envBool, envInt, httpEnv, logEnv, natsEnv } from '@switchboard/service-kit';
import { callControlEnv } from './call-control/call-control.env';
import { customerWebhooksEnv } from './customer-webhooks/customer-webhooks.env';
import { mediaPlacementEnv } from './media-placement/media-placement.env';
import { recordingsEnv } from './recordings/recordings.env';

export const DEFAULT_CALLBACK_OIDC_URL = 'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration';

/** Signaling's whole configuration, validated once at boot; the process refuses to start naming the bad variable. */
export const signalingConfigSchema = natsEnv
  .extend(httpEnv.shape)
  .extend(logEnv.shape)
  .extend(graphClientEnvShape.shape)
  .extend({
    HTTP_PORT: envInt({ min: 0, max: 65535, fallback: 3000 }),
    /** Where the keys that sign Graph's callbacks are published (contract §2). */
    CALLBACK_OIDC_URL: z.url({ protocol: /^https?$/ }).default(DEFAULT_CALLBACK_OIDC_URL),
    /** The URL of POST /api/calling as Graph reaches it; sent as callbackUri when answering. */
    PUBLIC_CALLBACK_URL: z.url({ message: 'must be the public URL of /api/calling' }),
    /** WAV (mono, 16-bit, 16 kHz) the built-in welcome flow plays (used when there is no ROUTING_FILE). */
    PROMPT_URI: z.url({ message: 'must be the URL of the welcome prompt (WAV, 16 kHz mono)' }),
    /** Routing rules (YAML/JSON) naming the flows folder and which flow or app takes each incoming call. */
    ROUTING_FILE: z.string().min(1).optional(),
    /** Secret that signs the requests flows make to customer apps (webhook verb). */
    FLOW_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    REPLICA_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
    WEBHOOK_BODY_LIMIT_BYTES: envInt({ min: 1024, max: 16 * 1024 * 1024, fallback: 1024 * 1024 }),
    /**
     * false: the replica stores Graph's notifications and serves the API but applies no call input (it runs neither
     * call-input consumer); replicas with true apply what it stores. Lets the webhook scale apart from the orchestration.
     */
    APPLY_CALL_INPUTS: envBool(true),
    /** Call inputs a replica applies at once (one at a time per call). */
    CONSUMER_CONCURRENCY: envInt({ min: 1, max: 1000, fallback: 64 }),
    /** Inputs each consumer of a replica holds; more than it applies at once, so new calls can go first. */
    CONSUMER_PREFETCH: envInt({ min: 1, max: 5000, fallback: 256 }),
    /** Past this wait between storing a notification and applying it, fewer new calls are taken (the rest refused, busy); 0: never. */
    ADMISSION_MAX_INPUT_DELAY_MS: envInt({ min: 0, max: 14_000, fallback: 1000 }),
    CLAIM_LEASE_MS: envInt({ min: 1000, max: 600_000, fallback: 15_000 }),
    ACK_WAIT_MS: envInt({ min: 2000, max: 1_200_000, fallback: 30_000 }),
    MAX_DELIVER: envInt({ min: 1, max: 100, fallback: 10 }),
    /** Graph ends a call after 45 minutes without a keepAlive; the samples send one every 10 minutes. */
    KEEPALIVE_INTERVAL_MS: envInt({ min: 1000, max: 40 * 60_000, fallback: 10 * 60_000 }),
  })
  .extend(customerWebhooksEnv.shape)
  .extend(callControlEnv.shape)
  .extend(mediaPlacementEnv.shape)
  .extend(recordingsEnv.shape)
  .superRefine((env, ctx) => {
    checkGraphCredentialEnv(env, ctx);
    if (env.CLAIM_LEASE_MS >= env.ACK_WAIT_MS) {
      ctx.addIssue({ code: 'custom', path: ['CLAIM_LEASE_MS'], message: 'must be below ACK_WAIT_MS, or a redelivery could race a live claim' });
    }
  });

export type SignalingConfig = z.output<typeof signalingConfigSchema>;
