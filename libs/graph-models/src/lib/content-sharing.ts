import { z } from 'zod';
import { graphObject } from './odata';

/** An item of `/calls/{id}/contentsharingsessions` notifications (contract §1.7); only the id is documented. */
export const contentSharingSessionSchema = graphObject({
  '@odata.type': z.string().optional(),
  id: z.string().min(1),
});
export type ContentSharingSession = z.infer<typeof contentSharingSessionSchema>;
