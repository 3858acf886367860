import type { NatsConnection } from 'nats';
import type { NatsNames } from '@switchboard/nats-contracts';
import type { Logger } from 'pino';
import type { LogFn } from '@switchboard/jetstream';
import { MediaCommandResponders } from './media-commands';
import { RosterConsumer } from './roster-consumer';
import type { SessionHub } from './session-hub';

export interface MediaSessionsOnNats {
  stop(): Promise<void>;
}

/**
 * Connects the pod's sessions to NATS: each call's commands are answered while it streams here, and rosters name
 * its speakers. (Events go out through the publisher the sessions were made with.)
 */
export function connectSessionsToNats(options: {
  nc: NatsConnection;
  names: NatsNames;
  sessions: SessionHub;
  where: () => { podName: string; grpcTarget: string };
  logger: Logger;
}): MediaSessionsOnNats {
  const log: LogFn = (level, msg, fields) => options.logger[level](fields, msg);
  const commands = new MediaCommandResponders(options.nc, options.names, options.where, log);
  const rosters = new RosterConsumer(options.nc, options.names, options.sessions, log);
  options.sessions.observe(commands);
  options.sessions.observe(rosters);
  rosters.start();
  return {
    stop: async () => {
      await Promise.all([commands.stop(), rosters.stop()]);
    },
  };
}
