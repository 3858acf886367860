import { z } from 'zod';
import { ConfigError, envInt } from '@switchboard/service-kit';
import { loadSubscriptions } from './subscriptions';

/** The longest any redelivery waits, also applied to a longer `Retry-After`. */
export const MAX_BACKOFF_CAP_MS = 5 * 60_000;

/** Environment of customer webhooks; merged into signaling's configuration schema. */
export const customerWebhooksEnv = z.object({
  /**
   * JSON or YAML list of subscriptions; unset = customer webhooks off. The file is checked with the rest of the
   * configuration, before anything connects, so a bad entry stops the boot naming the entry and field.
   */
  CUSTOMER_WEBHOOKS_FILE: z
    .string()
    .trim()
    .min(1, 'must be a file path when set')
    .optional()
    .superRefine((path, ctx) => {
      try {
        loadSubscriptions(path, process.env);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        for (const issue of error.issues) ctx.addIssue({ code: 'custom', message: issue.reason });
      }
    }),
  /** One delivery attempt (connect, send, response headers and body) gives up after this long. */
  CUSTOMER_WEBHOOKS_TIMEOUT_MS: envInt({ min: 100, max: 60_000, fallback: 5000 }),
  /** Attempts per event and subscription before it is recorded as failed. */
  CUSTOMER_WEBHOOKS_MAX_DELIVER: envInt({ min: 1, max: 100, fallback: 12 }),
  /** First retry delay; doubles per attempt up to CUSTOMER_WEBHOOKS_BACKOFF_MAX_MS. */
  CUSTOMER_WEBHOOKS_BACKOFF_BASE_MS: envInt({ min: 10, max: 60_000, fallback: 1000 }),
  CUSTOMER_WEBHOOKS_BACKOFF_MAX_MS: envInt({ min: 100, max: MAX_BACKOFF_CAP_MS, fallback: MAX_BACKOFF_CAP_MS }),
});

export type CustomerWebhooksConfig = z.output<typeof customerWebhooksEnv>;
