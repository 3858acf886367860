import { z } from 'zod';
import { envJson } from '@switchboard/service-kit';
import { tenantSetting } from '@switchboard/recording-store';
import { recordingFailureActionSchema, type RecordingFailureAction } from '@switchboard/nats-contracts';

/**
 * `TENANT_RECORDING_FAILURE_POLICIES`: a JSON object of tenant id → `leave` | `stay-and-alert`, for tenants whose
 * policy differs from `RECORDING_FAILURE_POLICY`. Teams' own rule for a required recorder is to block the user's call
 * when recording fails (`leave` does that: the recorder hanging up ends the recorded call); a tenant that prefers the
 * call to go on unrecorded, with operators alerted, says `stay-and-alert`.
 */
export const tenantFailurePoliciesEnv = envJson(
  z.record(z.string().min(1, 'a tenant id must not be empty'), recordingFailureActionSchema),
  'a JSON object of tenant id to "leave" or "stay-and-alert"',
  '{}',
);

/** The action for a tenant: its own, or the deployment's default. */
export class RecordingFailurePolicy {
  constructor(
    private readonly fallback: RecordingFailureAction,
    private readonly byTenant: Readonly<Record<string, RecordingFailureAction>> = {},
  ) {}

  actionFor(tenantId: string | undefined): RecordingFailureAction {
    return tenantSetting(this.byTenant, tenantId, this.fallback);
  }
}
