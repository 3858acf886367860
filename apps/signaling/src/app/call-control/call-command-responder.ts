import type { NatsConnection, Subscription } from 'nats';
import { callCommandActions, type NatsNames } from '@switchboard/nats-contracts';
import type { CallControlApi } from './call-control-api';

/** NATS queue group: each command reaches one signaling replica. */
export const COMMAND_QUEUE = 'signaling';

/**
 * Serves `<namespace>.calls.v1.commands.<action>` request/reply. Subscribed directly on the service's connection
 * because the subjects depend on NATS_NAMESPACE, which is only known at boot (a decorator pattern is fixed).
 */
export class CallCommandResponder {
  private subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly names: NatsNames,
    private readonly api: CallControlApi,
  ) {}

  start(): void {
    this.subscriptions = callCommandActions.map((action) =>
      this.nc.subscribe(this.names.commandSubject(action), {
        queue: COMMAND_QUEUE,
        callback: (error, msg) => {
          if (error) return;
          const answering = this.api.handleNats(action, msg.data).then((reply) => {
            // A request published without a reply subject cannot be answered; it was still carried out and logged.
            if (msg.reply) msg.respond(new TextEncoder().encode(JSON.stringify(reply)));
          });
          this.inFlight.add(answering);
          void answering.finally(() => this.inFlight.delete(answering));
        },
      }),
    );
  }

  /** Stops taking commands and lets the ones in progress answer. */
  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => (s.isClosed() ? undefined : s.drain())));
    this.subscriptions = [];
    await Promise.all([...this.inFlight]);
  }
}
