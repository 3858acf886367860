import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { callCommandActions, callCommandSchemas, type NatsNames } from '@switchboard/nats-contracts';
import { Responder } from '@switchboard/jetstream';
import type { CallControlApi } from './call-control-api';

/** NATS queue group: each command reaches one signaling replica. */
export const COMMAND_QUEUE = 'signaling';

/**
 * Serves `<namespace>.calls.v1.commands.<action>` request/reply on the shared responder: one subject per action,
 * its payload checked against the action's schema; a payload that is not JSON or not the schema is answered 400
 * and changes nothing.
 */
export class CallCommandResponder {
  private readonly responders: Array<Responder<(typeof callCommandSchemas)[keyof typeof callCommandSchemas], unknown>>;

  constructor(nc: NatsConnection, names: NatsNames, api: CallControlApi, logger: Logger) {
    this.responders = callCommandActions.map(
      (action) =>
        new Responder(nc, {
          subject: names.commandSubject(action),
          queue: COMMAND_QUEUE,
          schema: callCommandSchemas[action],
          handle: (payload) => api.handleNats(action, payload),
          refuse: (problem) => api.refuseNats(action, problem),
          log: (level, msg, fields) => logger[level]({ action, ...fields }, msg),
        }),
    );
  }

  start(): void {
    for (const responder of this.responders) responder.start();
  }

  /** Stops taking commands and lets the ones in progress answer. */
  async stop(): Promise<void> {
    await Promise.all(this.responders.map((r) => r.stop()));
  }
}
