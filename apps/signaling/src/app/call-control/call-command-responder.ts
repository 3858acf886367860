import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { callCommandActions, callCommandSchemas, type CallCommandAction, type NatsNames } from '@switchboard/nats-contracts';
import { CommandResponders } from '@switchboard/jetstream';
import type { CallControlApi } from './call-control-api';

/** NATS queue group: each command reaches one signaling replica. */
export const COMMAND_QUEUE = 'signaling';

/**
 * Serves `<namespace>.calls.v1.commands.<action>` request/reply on the shared responders: one subject per action,
 * its payload checked against the action's schema; a payload that is not JSON or not the schema is answered 400
 * and changes nothing.
 */
export class CallCommandResponder extends CommandResponders<CallCommandAction, (typeof callCommandSchemas)[CallCommandAction]> {
  constructor(nc: NatsConnection, names: NatsNames, api: CallControlApi, logger: Logger) {
    super(nc, {
      actions: callCommandActions,
      subject: (action) => names.commandSubject(action),
      queue: COMMAND_QUEUE,
      schemas: callCommandSchemas,
      handle: (action, payload) => api.handleNats(action, payload),
      refuse: (action, problem) => api.refuseNats(action, problem),
      log: (action) => (level, msg, fields) => logger[level]({ action, ...fields }, msg),
    });
  }
}
