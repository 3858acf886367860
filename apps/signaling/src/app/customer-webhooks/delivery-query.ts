import { z } from 'zod';
import { deliveryStatuses, type DeliveryFilter } from './delivery-log';

const querySchema = z.strictObject({
  subscription: z.string().min(1, 'must not be empty').optional(),
  callId: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters').optional(),
  status: z.enum(deliveryStatuses, { error: `must be one of ${deliveryStatuses.join(', ')}` }).optional(),
  limit: z
    .string()
    .regex(/^\d+$/, 'must be an integer between 1 and 1000')
    .transform(Number)
    .pipe(z.number().min(1, 'must be at least 1').max(1000, 'must be at most 1000'))
    .default(100),
});

export class InvalidDeliveryQuery extends Error {
  override readonly name = 'InvalidDeliveryQuery';
}

/** Query string of GET /v1/webhooks/deliveries; throws naming the bad parameter. */
export function parseDeliveryQuery(query: unknown): DeliveryFilter {
  const parsed = querySchema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const name = issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : (issue?.path.map(String).join('.') ?? 'query');
  const reason = issue?.code === 'unrecognized_keys' ? 'unknown parameter (use subscription, callId, status, limit)' : issue?.message;
  throw new InvalidDeliveryQuery(`${name}: ${reason}`);
}
