import { BeforeApplicationShutdown, Global, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { complianceNames, natsNames, type ComplianceNames, type NatsNames } from '@switchboard/nats-contracts';
import { APP_CONFIG, JETSTREAM, JETSTREAM_MANAGER, LOGGER, NATS_CONNECTION } from '@switchboard/service-kit';
import { ApiAuthenticator } from '@switchboard/api-auth';
import { AuditTrail, ensureAuditStream } from '../audit/audit-trail';
import type { ComplianceConfig } from '../config';
import { BlobServiceClient } from '@azure/storage-blob';
import { RecordingCatalog } from '@switchboard/recording-store';
import { RecordingsApi } from '../recordings/recordings-api';
import { API_AUTHENTICATOR, AUDIT_TRAIL, COMPLIANCE_NAMES, NATS_NAMES, RECORDING_CATALOG, RECORDINGS_API } from '../tokens';
import { RetentionSweeper } from '../recordings/retention-sweeper';
import { CallEventFollower } from './call-event-follower';
import { ComplianceResponders } from './compliance-responders';
import { NatsGrantEvents } from './grant-events';
import { GrantService } from './grant-service';
import { GrantStore } from './grant-store';
import { ensureGrantTopology } from './grant-topology';
import { LeaseSweeper } from './lease-sweeper';
import { RecordingFailurePolicy } from '../policy/recording-failure-policy';
import { NatsSignalingCommands } from './signaling-commands';
import { NatsCallRecorders } from './call-recorders';

const RUNNERS = Symbol('RUNNERS');

interface Runner {
  start(): void | Promise<void>;
  stop(): Promise<void>;
}

/**
 * The grant protocol: its NATS commands, the follower of signaling's call events, the lease sweeper, and the
 * audit trail every part of the service writes to.
 */
@Global()
@Module({
  providers: [
    { provide: NATS_NAMES, useFactory: (config: ComplianceConfig) => natsNames(config.NATS_NAMESPACE), inject: [APP_CONFIG] },
    { provide: COMPLIANCE_NAMES, useFactory: (config: ComplianceConfig) => complianceNames(config.NATS_NAMESPACE), inject: [APP_CONFIG] },
    {
      provide: AUDIT_TRAIL,
      useFactory: async (js: JetStreamClient, jsm: JetStreamManager, names: ComplianceNames, config: ComplianceConfig) => {
        await ensureAuditStream(jsm, names, config.AUDIT_RETENTION_DAYS);
        return new AuditTrail(js, jsm, names);
      },
      inject: [JETSTREAM, JETSTREAM_MANAGER, COMPLIANCE_NAMES, APP_CONFIG],
    },
    {
      provide: API_AUTHENTICATOR,
      useFactory: (config: ComplianceConfig, logger: Logger) => {
        if (!config.API_AUTH_OIDC_URL) {
          logger.warn('the compliance REST API answers 503: API_AUTH_OIDC_URL is not set');
          return undefined;
        }
        return new ApiAuthenticator({ openIdConfigurationUrl: config.API_AUTH_OIDC_URL, audience: config.API_AUTH_AUDIENCE });
      },
      inject: [APP_CONFIG, LOGGER],
    },
    {
      provide: RECORDING_CATALOG,
      useFactory: (config: ComplianceConfig) =>
        config.BLOB_CONNECTION_STRING ? new RecordingCatalog(BlobServiceClient.fromConnectionString(config.BLOB_CONNECTION_STRING).getContainerClient(config.RECORDINGS_CONTAINER)) : undefined,
      inject: [APP_CONFIG],
    },
    {
      provide: RECORDINGS_API,
      useFactory: (authenticator: ApiAuthenticator | undefined, catalog: RecordingCatalog | undefined, audit: AuditTrail) => new RecordingsApi(authenticator, catalog, audit),
      inject: [API_AUTHENTICATOR, RECORDING_CATALOG, AUDIT_TRAIL],
    },
    {
      provide: GrantService,
      useFactory: async (nc: NatsConnection, js: JetStreamClient, jsm: JetStreamManager, names: NatsNames, compliance: ComplianceNames, audit: AuditTrail, config: ComplianceConfig) => {
        const kv = await ensureGrantTopology(js, jsm, names, compliance, config.ACK_WAIT_MS);
        return new GrantService({
          store: new GrantStore(kv),
          signaling: new NatsSignalingCommands(nc, names),
          audit,
          events: new NatsGrantEvents(nc, compliance),
          settings: {
            leaseMs: config.LEASE_MS,
            startWaitMs: config.START_WAIT_MS,
            pendingTimeoutMs: config.PENDING_TIMEOUT_MS,
            participantCapacity: config.POLICY_PARTICIPANT_CAPACITY,
            policyMedia: config.POLICY_MEDIA,
            callEndGraceMs: config.CALL_END_GRACE_MS,
          },
          failurePolicy: new RecordingFailurePolicy(config.RECORDING_FAILURE_POLICY, config.TENANT_RECORDING_FAILURE_POLICIES),
          // The pod asks this service for the grant before it answers: leave room for Graph's answer to `recording`.
          recorders: new NatsCallRecorders(nc, names, config.START_WAIT_MS + 5_000),
        });
      },
      inject: [NATS_CONNECTION, JETSTREAM, JETSTREAM_MANAGER, NATS_NAMES, COMPLIANCE_NAMES, AUDIT_TRAIL, APP_CONFIG],
    },
    {
      provide: RUNNERS,
      useFactory: (
        nc: NatsConnection,
        js: JetStreamClient,
        names: NatsNames,
        compliance: ComplianceNames,
        grants: GrantService,
        audit: AuditTrail,
        recordings: RecordingsApi,
        catalog: RecordingCatalog | undefined,
        config: ComplianceConfig,
        logger: Logger,
      ): Runner[] => {
        const log = logger.child({ component: 'grants' });
        return [
          ...(catalog ? [new RetentionSweeper(catalog, audit, config.RETENTION_SWEEP_INTERVAL_MS, logger.child({ component: 'retention' }))] : []),
          new ComplianceResponders(
            nc,
            compliance,
            {
              start: (r) => grants.start(r),
              renew: (r) => grants.renew(r),
              stop: (r) => grants.stop(r),
              check: (r) => grants.check(r),
              revoke: (r) => grants.revokeByRecorder(r),
              audit: (q) => audit.query(q),
              recordings: (q) => recordings.listRecordings(q),
            },
            log,
          ),
          new CallEventFollower(js, names, compliance, grants, {
            maxDeliver: config.MAX_DELIVER,
            concurrency: config.CONSUMER_CONCURRENCY,
            log: (level, msg, fields) => log[level](fields, msg),
          }),
          new LeaseSweeper(grants, config.SWEEP_INTERVAL_MS, log),
        ];
      },
      inject: [NATS_CONNECTION, JETSTREAM, NATS_NAMES, COMPLIANCE_NAMES, GrantService, AUDIT_TRAIL, RECORDINGS_API, RECORDING_CATALOG, APP_CONFIG, LOGGER],
    },
  ],
  exports: [NATS_NAMES, COMPLIANCE_NAMES, AUDIT_TRAIL, API_AUTHENTICATOR, RECORDINGS_API, GrantService],
})
export class GrantsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(RUNNERS) private readonly runners: Runner[]) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const runner of this.runners) await runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
  }
}
