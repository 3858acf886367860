import { envInt } from '@switchboard/service-kit';
import { recordingStorageEnv } from '@switchboard/recording-store';

/** Where service-hosted recordings are stored (the same variables recording-compliance reads); merged into signaling's schema. */
export const recordingsEnv = recordingStorageEnv.extend({
  /** Days a recorded message is kept (its metadata's retainUntil). */
  RECORDING_RETENTION_DAYS: envInt({ min: 1, max: 36_500, fallback: 90 }),
});
