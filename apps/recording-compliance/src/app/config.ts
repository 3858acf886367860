import { apiAuthEnv } from '@switchboard/api-auth';
import { envInt, envPort, httpEnv, logEnv, natsEnv } from '@switchboard/service-kit';
import { recordingStorageEnv } from '@switchboard/recording-store';
import { z } from 'zod';
import { mediaHostingSchema, recordingFailureActionSchema } from '@switchboard/nats-contracts';
import { tenantFailurePoliciesEnv } from './policy/recording-failure-policy';

export const SERVICE_NAME = 'recording-compliance';

export const complianceConfigSchema = natsEnv.extend({
  ...httpEnv.shape,
  ...logEnv.shape,
  ...apiAuthEnv.shape,
  HTTP_PORT: envPort(3002),
  ...recordingStorageEnv.shape,
  /** How long a grant's lease lasts without renewal; a recorder renews well within it. */
  LEASE_MS: envInt({ min: 1000, max: 600_000, fallback: 30_000 }),
  /** How long a start request waits for Graph's answer before it is answered `pending`. */
  START_WAIT_MS: envInt({ min: 0, max: 30_000, fallback: 10_000 }),
  /** A grant Graph has not answered for this long is revoked and `failed` sent. */
  PENDING_TIMEOUT_MS: envInt({ min: 1000, max: 600_000, fallback: 60_000 }),
  /** After a call ends, how long an active grant still lets its writers commit what they recorded (no renewal). */
  CALL_END_GRACE_MS: envInt({ min: 0, max: 600_000, fallback: 30_000 }),
  /** How often expired leases are looked for (every replica looks; compare-and-set lets one act). */
  SWEEP_INTERVAL_MS: envInt({ min: 100, max: 60_000, fallback: 2_000 }),
  /** Users under the same recording policy one answered invitation takes (participantJoiningNotification up to this many). */
  POLICY_PARTICIPANT_CAPACITY: envInt({ min: 1, max: 100, fallback: 3 }),
  /** How policy invitations are answered: app-hosted media on a media pod (which records the call) or service-hosted. */
  POLICY_MEDIA: mediaHostingSchema.default('appHosted'),
  /** What happens to a policy-recorded call whose recording cannot start or fails: the recorder leaves, or stays and alerts. */
  RECORDING_FAILURE_POLICY: recordingFailureActionSchema.default('leave'),
  /** Tenants whose failure policy differs from RECORDING_FAILURE_POLICY (JSON: {"<tenant id>": "stay-and-alert"}). */
  TENANT_RECORDING_FAILURE_POLICIES: tenantFailurePoliciesEnv,
  /** How often recordings past their retention are looked for and deleted (every replica looks). */
  RETENTION_SWEEP_INTERVAL_MS: envInt({ min: 1000, max: 86_400_000, fallback: 3_600_000 }),
  /** How long the audit trail keeps its records. */
  AUDIT_RETENTION_DAYS: envInt({ min: 1, max: 36_500, fallback: 7 * 365 }),
  ACK_WAIT_MS: envInt({ min: 2000, max: 1_200_000, fallback: 30_000 }),
  MAX_DELIVER: envInt({ min: 1, max: 100, fallback: 10 }),
  CONSUMER_CONCURRENCY: envInt({ min: 1, max: 1000, fallback: 32 }),
});

export type ComplianceConfig = z.output<typeof complianceConfigSchema>;
