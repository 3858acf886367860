import type { NatsConnection } from 'nats';
import type { z } from 'zod';
import type { LogFn } from './log';
import { Responder, type RequestProblem } from './responder';

export interface CommandRespondersOptions<A extends string, S extends z.ZodType> {
  actions: readonly A[];
  subject(action: A): string;
  /** Queue group: each command reaches one process of the service. */
  queue: string;
  schemas: Record<A, S>;
  handle(action: A, payload: z.output<S>): Promise<unknown>;
  refuse(action: A, problem: RequestProblem): unknown;
  log(action: A): LogFn;
}

/** A service's request/reply commands: one {@link Responder} per action, each on its own subject with its schema. */
export class CommandResponders<A extends string, S extends z.ZodType> {
  private readonly responders: Responder<S, unknown>[];

  constructor(nc: NatsConnection, options: CommandRespondersOptions<A, S>) {
    this.responders = options.actions.map(
      (action) =>
        new Responder(nc, {
          subject: options.subject(action),
          queue: options.queue,
          schema: options.schemas[action],
          handle: (payload) => options.handle(action, payload),
          refuse: (problem) => options.refuse(action, problem),
          log: options.log(action),
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
