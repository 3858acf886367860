import { z } from 'zod';
import { commsNotificationSchema, participantJoiningResponseSchema } from '@switchboard/graph-models';

/** What signaling writes to the notifications stream for each accepted notification. */
export const storedNotificationSchema = z.object({
  receivedAt: z.iso.datetime(),
  /** `tid` of the verified callback token. */
  tenantId: z.string(),
  /** The token's issuer, kept for the audit trail. */
  issuer: z.string(),
  notification: commsNotificationSchema,
  /** What the webhook answered Graph in its response body (a participantJoiningNotification's participantJoiningResponse). */
  answer: participantJoiningResponseSchema.optional(),
});
export type StoredNotification = z.infer<typeof storedNotificationSchema>;
