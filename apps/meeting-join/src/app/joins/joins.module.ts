import { BeforeApplicationShutdown, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { ApiAuthenticator } from '@switchboard/api-auth';
import { createGraphClient, graphTokenReadiness, graphClientConfigFromEnv, type GraphClient } from '@switchboard/graph-client';
import type { PullWorker } from '@switchboard/jetstream';
import { meetingNames, natsNames } from '@switchboard/nats-contracts';
import { APP_CONFIG, HealthRegistry, JETSTREAM, JETSTREAM_MANAGER, LOGGER, NATS_CONNECTION } from '@switchboard/service-kit';
import { MeetingCommandResponder } from '../api/meeting-command-responder';
import { MeetingsApi } from '../api/meetings-api';
import { MeetingsController } from '../api/meetings.controller';
import type { MeetingJoinConfig } from '../config';
import { OnlineMeetings } from '../online-meetings/online-meetings';
import { JoinEngine } from './join-engine';
import { JoinRequests } from './join-requests';
import { JoinStore } from './join-store';
import { ensureMeetingTopology, joinWorkers } from './join-workers';
import { SignalingCalls } from './signaling-calls';

const GRAPH_CLIENT = Symbol('GRAPH_CLIENT');
const WORKERS = Symbol('JOIN_WORKERS');

/** Join records older than this are dropped from the bucket. */
const JOIN_TTL_MS = 30 * 24 * 3600_000;

/**
 * Meeting joins: the REST API and NATS commands, the join records, and the workers that place calls through signaling
 * and follow its call events. Online-meeting look-ups go to Graph directly.
 */
@Module({
  controllers: [MeetingsController],
  providers: [
    {
      provide: GRAPH_CLIENT,
      useFactory: (config: MeetingJoinConfig, health: HealthRegistry) => {
        const client = createGraphClient(graphClientConfigFromEnv(config));
        health.register('graph-token', graphTokenReadiness(client));
        return client;
      },
      inject: [APP_CONFIG, HealthRegistry],
    },
    {
      provide: JoinEngine,
      useFactory: async (config: MeetingJoinConfig, nc: NatsConnection, js: JetStreamClient, jsm: JetStreamManager, logger: Logger) => {
        const names = natsNames(config.NATS_NAMESPACE);
        const meetings = meetingNames(names);
        await ensureMeetingTopology(jsm, names, meetings);
        const store = new JoinStore(await js.views.kv(meetings.joinsBucket, { history: 1, ttl: JOIN_TTL_MS }));
        const log = logger.child({ component: 'joins' });
        return new JoinEngine(store, js, meetings, new SignalingCalls(nc, names), {
          maxPlaceTries: config.JOIN_PLACE_MAX_TRIES,
          maxHoldMs: config.JOIN_MAX_HOLD_MS,
          log: (level, msg, fields) => log[level](fields ?? {}, msg),
        });
      },
      inject: [APP_CONFIG, NATS_CONNECTION, JETSTREAM, JETSTREAM_MANAGER, LOGGER],
    },
    {
      provide: MeetingsApi,
      useFactory: (config: MeetingJoinConfig, engine: JoinEngine, graph: GraphClient, logger: Logger) => {
        const onlineMeetings = new OnlineMeetings(graph.onlineMeetings);
        const joins = new JoinRequests(engine.store, engine, onlineMeetings, { maxAttempts: config.JOIN_MAX_ATTEMPTS });
        const authenticator = config.API_AUTH_OIDC_URL ? new ApiAuthenticator({ openIdConfigurationUrl: config.API_AUTH_OIDC_URL, audience: config.API_AUTH_AUDIENCE }) : undefined;
        if (!authenticator) logger.warn('the meetings REST API answers 503: API_AUTH_OIDC_URL is not set');
        return new MeetingsApi(joins, onlineMeetings, logger.child({ component: 'meetings-api' }), authenticator);
      },
      inject: [APP_CONFIG, JoinEngine, GRAPH_CLIENT, LOGGER],
    },
    {
      provide: MeetingCommandResponder,
      useFactory: (config: MeetingJoinConfig, nc: NatsConnection, api: MeetingsApi, logger: Logger) =>
        new MeetingCommandResponder(nc, meetingNames(natsNames(config.NATS_NAMESPACE)), api, logger.child({ component: 'meetings-api' })),
      inject: [APP_CONFIG, NATS_CONNECTION, MeetingsApi, LOGGER],
    },
    {
      provide: WORKERS,
      useFactory: (config: MeetingJoinConfig, js: JetStreamClient, engine: JoinEngine, logger: Logger) => {
        const names = natsNames(config.NATS_NAMESPACE);
        const log = logger.child({ component: 'join-workers' });
        return joinWorkers(js, names, meetingNames(names), engine, (level, msg, fields) => log[level](fields ?? {}, msg), config.CONSUMER_CONCURRENCY);
      },
      inject: [APP_CONFIG, JETSTREAM, JoinEngine, LOGGER],
    },
  ],
})
export class JoinsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(MeetingCommandResponder) private readonly responder: MeetingCommandResponder,
    @Inject(WORKERS) private readonly workers: PullWorker<unknown>[],
    @Inject(GRAPH_CLIENT) private readonly graph: GraphClient,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.responder.start();
    await Promise.all(this.workers.map((w) => w.start()));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.responder.stop();
    await Promise.all(this.workers.map((w) => w.stop()));
    await this.graph.close();
  }
}
