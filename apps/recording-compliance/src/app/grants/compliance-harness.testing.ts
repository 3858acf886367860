import { connect, type JetStreamClient, type NatsConnection } from 'nats';
import pino from 'pino';
import { removeJetStreamNamespace } from '@switchboard/dev-infra';
import { ensureStream, fileStream } from '@switchboard/jetstream';
import { complianceNames, natsNames, type AuditRecord, type ComplianceEvent } from '@switchboard/nats-contracts';
import { AuditTrail, ensureAuditStream } from '../audit/audit-trail';
import { CallEventFollower } from './call-event-follower';
import { ComplianceResponders } from './compliance-responders';
import { FakeSignaling } from './fake-signaling.testing';
import { NatsGrantEvents } from './grant-events';
import { GrantService } from './grant-service';
import { GrantStore } from './grant-store';
import { ensureGrantTopology } from './grant-topology';
import { RecordingFailurePolicy } from '../policy/recording-failure-policy';
import { NatsCallRecorders } from './call-recorders';

/** The harness's tenant whose policy is to stay in a call that cannot be recorded (every other tenant's: leave). */
export const STAY_TENANT = 'tenant-stays';

/**
 * recording-compliance's grant side on real NATS, in a namespace of its own: the grant service behind its NATS
 * commands, the follower of call events, the audit trail. Signaling is faked (see FakeSignaling). `clock` shifts
 * the service's time, to let leases expire.
 */
export class ComplianceHarness {
  readonly namespace = `rc${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  readonly names = natsNames(this.namespace);
  readonly compliance = complianceNames(this.namespace);
  readonly events: ComplianceEvent[] = [];
  clock = 0;
  nc!: NatsConnection;
  js!: JetStreamClient;
  signaling!: FakeSignaling;
  audit!: AuditTrail;
  grants!: GrantService;
  private responders?: ComplianceResponders;
  private follower?: CallEventFollower;
  private calls = 0;

  constructor(private readonly leaseMs: number) {}

  async start(natsUrl: string): Promise<void> {
    this.nc = await connect({ servers: natsUrl });
    this.js = this.nc.jetstream();
    const jsm = await this.nc.jetstreamManager();
    await ensureStream(jsm, fileStream(this.names.eventsStream, this.names.eventSubjects, 3600_000, 120_000));
    await ensureAuditStream(jsm, this.compliance, 1);
    const kv = await ensureGrantTopology(this.js, jsm, this.names, this.compliance, 5_000);
    this.signaling = new FakeSignaling(this.js, this.names);
    this.audit = new AuditTrail(this.js, jsm, this.compliance);
    const sub = this.nc.subscribe(this.compliance.eventSubjects);
    void (async () => {
      for await (const m of sub) this.events.push(m.json<ComplianceEvent>());
    })();
    this.grants = new GrantService({
      store: new GrantStore(kv),
      signaling: this.signaling,
      audit: this.audit,
      events: new NatsGrantEvents(this.nc, this.compliance),
      settings: { leaseMs: this.leaseMs, startWaitMs: 5_000, pendingTimeoutMs: 30_000, pollMs: 10, participantCapacity: 3 },
      failurePolicy: new RecordingFailurePolicy('leave', { [STAY_TENANT]: 'stay-and-alert' }),
      recorders: new NatsCallRecorders(this.nc, this.names, 5_000),
      now: () => Date.now() + this.clock,
    });
    const grants = this.grants;
    this.responders = new ComplianceResponders(
      this.nc,
      this.compliance,
      { start: (r) => grants.start(r), renew: (r) => grants.renew(r), stop: (r) => grants.stop(r), check: (r) => grants.check(r), revoke: (r) => grants.revokeByRecorder(r) },
      pino({ level: 'silent' }),
    );
    this.responders.start();
    this.follower = new CallEventFollower(this.js, this.names, this.compliance, grants, { maxDeliver: 5, concurrency: 4, log: () => undefined });
    await this.follower.start();
  }

  async stop(): Promise<void> {
    await this.responders?.stop();
    await this.follower?.stop();
    await removeJetStreamNamespace(this.nc, { ...this.names, streams: [...this.names.streams, ...this.compliance.streams] });
    await this.nc.close();
  }

  /** Back to Graph answering at once and the real time, after each test. */
  reset(): void {
    this.clock = 0;
    this.signaling.graphAnswer = 'completed';
    this.signaling.unanswered.clear();
  }

  /** A sweep and the signaling steps it owes, to their end: how many grants it revoked. */
  async sweep(): Promise<number> {
    const { revoked, followUps } = await this.grants.sweep();
    const [error] = await followUps;
    if (error) throw error;
    return revoked;
  }

  /** A call signaling knows, in tenant-1 (or another tenant); `policyRecorded`: a policy invitation this service answered. */
  newCall(state = 'established', options: { tenantId?: string; policyRecorded?: boolean } = {}): string {
    this.calls += 1;
    const callId = `c${this.calls}-${this.namespace}`;
    this.signaling.calls.set(callId, { callId, tenantId: options.tenantId ?? 'tenant-1', state, policyRecorded: options.policyRecorded ?? false });
    return callId;
  }

  /** The call's audit trail as `action[:status]`, in order. */
  async trail(callId: string): Promise<string[]> {
    return (await this.audit.query({ callId })).map((r: AuditRecord) => r.action + (r.status ? `:${r.status}` : ''));
  }
}

/** The error `work` was refused with; fails when it was not refused. */
export async function refusalOf<T = { status?: number; code?: string; message: string }>(work: Promise<unknown>): Promise<T> {
  try {
    await work;
  } catch (error) {
    return error as T;
  }
  throw new Error('expected a refusal');
}
