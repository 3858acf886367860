import { envPort, httpEnv, logEnv, natsEnv } from '@switchboard/service-kit';
import { z } from 'zod';

export const SERVICE_NAME = 'meeting-join';

export const meetingJoinConfigSchema = natsEnv.extend({
  ...httpEnv.shape,
  ...logEnv.shape,
  HTTP_PORT: envPort(3001),
});

export type MeetingJoinConfig = z.output<typeof meetingJoinConfigSchema>;
