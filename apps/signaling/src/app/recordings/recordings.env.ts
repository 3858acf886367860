import { envInt } from '@switchboard/service-kit';
import { recordingStorageEnv } from '@switchboard/recording-store';

/** Where service-hosted recordings are stored (the same variables recording-compliance reads); merged into signaling's schema. */
export const recordingsEnv = recordingStorageEnv.extend({
  /** Time between renewals of a grant's lease while Graph records; keep it well below recording-compliance's LEASE_MS. */
  RECORDING_GRANT_RENEWAL_MS: envInt({ min: 500, max: 300_000, fallback: 10_000 }),
});
