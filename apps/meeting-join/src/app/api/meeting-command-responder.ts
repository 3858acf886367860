import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { CommandResponders } from '@switchboard/jetstream';
import { meetingCommandActions, meetingCommandSchemas, type MeetingCommandAction, type MeetingNames } from '@switchboard/nats-contracts';
import type { MeetingsApi } from './meetings-api';

/** NATS queue group: each command reaches one meeting-join replica. */
export const COMMAND_QUEUE = 'meeting-join';

/** Serves `<namespace>.meetings.v1.commands.<action>` on the shared responders, one subject per action. */
export class MeetingCommandResponder extends CommandResponders<MeetingCommandAction, (typeof meetingCommandSchemas)[MeetingCommandAction]> {
  constructor(nc: NatsConnection, names: MeetingNames, api: MeetingsApi, logger: Logger) {
    super(nc, {
      actions: meetingCommandActions,
      subject: (action) => names.commandSubject(action),
      queue: COMMAND_QUEUE,
      schemas: meetingCommandSchemas,
      handle: (action, payload) => api.handleNats(action, payload as Record<string, unknown>),
      refuse: (action, problem) => api.refuseNats(action, problem),
      log: (action) => (level, msg, fields) => logger[level]({ action, ...fields }, msg),
    });
  }
}
