import { apiAuthEnv } from '@switchboard/api-auth';
import { checkGraphCredentialEnv, graphClientEnvShape } from '@switchboard/graph-client';
import { envInt, httpEnv, logEnv, natsEnv } from '@switchboard/service-kit';
import { z } from 'zod';

export const SERVICE_NAME = 'meeting-join';

/** meeting-join's configuration, validated once at boot; the process refuses to start naming the bad variable. */
export const meetingJoinConfigSchema = natsEnv
  .extend(httpEnv.shape)
  .extend(logEnv.shape)
  .extend(graphClientEnvShape.shape)
  .extend(apiAuthEnv.shape)
  .extend({
    HTTP_PORT: envInt({ min: 0, max: 65535, fallback: 3001 }),
    /** Calls placed for one join at most: the first, and retries after a server-side failure before the bot got in. */
    JOIN_MAX_ATTEMPTS: envInt({ min: 1, max: 10, fallback: 3 }),
    /** Deliveries of one place request while signaling is unavailable before the join fails. */
    JOIN_PLACE_MAX_TRIES: envInt({ min: 1, max: 100, fallback: 8 }),
    /** A scheduled join is looked at again at least this often until due. */
    JOIN_MAX_HOLD_MS: envInt({ min: 1000, max: 3_600_000, fallback: 15 * 60_000 }),
    CONSUMER_CONCURRENCY: envInt({ min: 1, max: 100, fallback: 4 }),
  })
  .superRefine(checkGraphCredentialEnv);

export type MeetingJoinConfig = z.output<typeof meetingJoinConfigSchema>;
