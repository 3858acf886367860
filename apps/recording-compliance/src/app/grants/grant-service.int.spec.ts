import { connect, type JetStreamClient, type NatsConnection } from 'nats';
import { natsForSpecFile, removeJetStreamNamespace, waitUntil } from '@switchboard/dev-infra';
import { ensureStream, fileStream } from '@switchboard/jetstream';
import type { ApiFailure } from '@switchboard/api-auth';
import { complianceNames, natsNames, type AuditRecord, type ComplianceEvent, type RecordingStatusValue } from '@switchboard/nats-contracts';
import { AuditTrail, ensureAuditStream } from '../audit/audit-trail';
import { CallEventFollower } from './call-event-follower';
import type { CallFacts, SignalingCommands } from './grant-ports';
import { GrantService } from './grant-service';
import { GrantStore } from './grant-store';
import { ensureGrantTopology } from './grant-topology';

const nats = natsForSpecFile();
jest.setTimeout(30_000);

/**
 * Signaling as recording-compliance sees it: calls it knows, and status requests it takes and answers with call
 * events on the real events stream, the way signaling's outbox does (the collaborator faked in this spec).
 */
class FakeSignaling implements SignalingCommands {
  readonly calls = new Map<string, CallFacts>();
  readonly requests: { callId: string; status: RecordingStatusValue; clientContext: string }[] = [];
  /** How Graph answers `recording`: at once, later (the test settles it), or failed. */
  answer: 'completed' | 'later' | 'failed' = 'completed';
  private operation = 0;

  constructor(
    private readonly js: JetStreamClient,
    private readonly names: ReturnType<typeof natsNames>,
  ) {}

  async call(callId: string): Promise<CallFacts | undefined> {
    return this.calls.get(callId);
  }

  async updateRecordingStatus(callId: string, status: RecordingStatusValue, clientContext: string): Promise<void> {
    this.requests.push({ callId, status, clientContext });
    if (status !== 'recording' || this.answer !== 'later') await this.report(callId, clientContext, status === 'recording' && this.answer === 'failed' ? 'failed' : 'completed');
  }

  statuses(callId: string): RecordingStatusValue[] {
    return this.requests.filter((r) => r.callId === callId).map((r) => r.status);
  }

  /** Graph's answer for a status request, as signaling publishes it. */
  async report(callId: string, clientContext: string, status: 'completed' | 'failed'): Promise<void> {
    this.operation += 1;
    const event = {
      type: 'operation-completed',
      eventId: `${callId}:recording-status:${clientContext}`,
      callId,
      tenantId: 'tenant-1',
      occurredAt: new Date().toISOString(),
      operationId: `op-${this.operation}`,
      operationKind: 'updateRecordingStatusOperation',
      status,
      clientContext,
      resultInfo: status === 'completed' ? { code: 200, subcode: 0 } : { code: 500, subcode: 9001, message: 'recording status could not be set' },
    };
    await this.js.publish(this.names.eventSubject('operation-completed'), JSON.stringify(event), { msgID: event.eventId });
  }

  async end(callId: string): Promise<void> {
    const event = { type: 'terminated', eventId: `${callId}:99:terminated`, callId, tenantId: 'tenant-1', occurredAt: new Date().toISOString() };
    await this.js.publish(this.names.eventSubject('terminated'), JSON.stringify(event), { msgID: event.eventId });
  }
}

describe('GrantService (real NATS: grants KV, audit stream, call events)', () => {
  const namespace = `g${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const names = natsNames(namespace);
  const compliance = complianceNames(namespace);
  let nc: NatsConnection;
  let js: JetStreamClient;
  let signaling: FakeSignaling;
  let audit: AuditTrail;
  let follower: CallEventFollower;
  let clock = 0;
  let service: GrantService;
  const events: ComplianceEvent[] = [];
  const leaseMs = 60_000;

  beforeAll(async () => {
    nc = await connect({ servers: nats.url });
    js = nc.jetstream();
    const jsm = await nc.jetstreamManager();
    await ensureStream(jsm, fileStream(names.eventsStream, names.eventSubjects, 3600_000, 120_000));
    await ensureAuditStream(jsm, compliance, 1);
    const kv = await ensureGrantTopology(js, jsm, names, compliance, 5_000);
    signaling = new FakeSignaling(js, names);
    audit = new AuditTrail(js, jsm, compliance);
    const sub = nc.subscribe(compliance.eventSubjects);
    void (async () => {
      for await (const m of sub) events.push(m.json<ComplianceEvent>());
    })();
    service = new GrantService({
      store: new GrantStore(kv),
      signaling,
      audit,
      events: { publish: async (e) => void nc.publish(compliance.eventSubject(e.type), JSON.stringify(e)) },
      settings: { leaseMs, startWaitMs: 5_000, pendingTimeoutMs: 30_000, pollMs: 10 },
      now: () => Date.now() + clock,
    });
    follower = new CallEventFollower(js, names, compliance, service, { maxDeliver: 5, concurrency: 4, log: () => undefined });
    await follower.start();
  });

  afterAll(async () => {
    await follower.stop();
    await removeJetStreamNamespace(nc, { ...names, streams: [...names.streams, ...compliance.streams] });
    await nc.close();
  });

  afterEach(() => {
    clock = 0;
    signaling.answer = 'completed';
  });

  let n = 0;
  const newCall = (state = 'established'): string => {
    n += 1;
    const callId = `c${n}-${namespace}`;
    signaling.calls.set(callId, { callId, tenantId: 'tenant-1', state });
    return callId;
  };
  const actions = async (callId: string) => (await audit.query({ callId })).map((r: AuditRecord) => r.action + (r.status ? `:${r.status}` : ''));
  const refusal = async (work: Promise<unknown>): Promise<ApiFailure> => {
    try {
      await work;
    } catch (error) {
      return error as ApiFailure;
    }
    throw new Error('expected a refusal');
  };

  it('grants only after Graph reported that recording succeeded, and audits each step in order', async () => {
    const callId = newCall();
    signaling.answer = 'later';
    const pending = await service.start({ callId, recorder: 'media-0', waitMs: 200 });
    expect(pending.state).toBe('pending');
    expect((await refusal(service.check({ grantId: pending.grantId, callId }))).code).toBe('GrantPending');
    await signaling.report(callId, signaling.requests.at(-1)!.clientContext, 'completed');
    await waitUntil(async () => (await service.check({ grantId: pending.grantId, callId }).catch(() => undefined))?.state === 'active', 'the grant', 10_000, 20);
    expect(await actions(callId)).toEqual(['grant-requested', 'status-requested:recording', 'status-result:recording', 'granted']);
    const granted = (await audit.query({ callId })).find((r) => r.action === 'granted');
    expect(granted).toMatchObject({ actor: 'graph', grantId: pending.grantId, tenantId: 'tenant-1', operationId: expect.stringMatching(/^op-/) });
    expect(events.filter((e) => e.type === 'granted' && e.grant.callId === callId)).toHaveLength(1);
  });

  it('refuses a grant Graph failed, sends failed, and lets nothing write', async () => {
    const callId = newCall();
    signaling.answer = 'failed';
    const refused = await refusal(service.start({ callId, recorder: 'media-0' }));
    expect(refused).toMatchObject({ status: 409, code: 'NotGranted', message: expect.stringMatching(/Graph did not accept recording: recording status could not be set/) });
    await waitUntil(() => signaling.statuses(callId).length === 2, 'the failed status', 10_000, 20);
    expect(signaling.statuses(callId)).toEqual(['recording', 'failed']);
    const grantId = (await audit.query({ callId }))[0].grantId!;
    expect((await refusal(service.check({ grantId, callId }))).code).toBe('GrantEnded');
    await waitUntil(async () => (await actions(callId)).includes('status-result:failed'), 'the failed status outcome', 10_000, 20);
    expect(await actions(callId)).toEqual(['grant-requested', 'status-requested:recording', 'status-result:recording', 'revoked', 'status-requested:failed', 'status-result:failed']);
  });

  it('stops: the lease ends first, then notRecording is sent; a second stop is refused', async () => {
    const callId = newCall();
    const grant = await service.start({ callId, recorder: 'media-0' });
    expect(grant.state).toBe('active');
    const stopped = await service.stop({ grantId: grant.grantId, callId, recorder: 'media-0' });
    expect(stopped.state).toBe('stopped');
    expect(signaling.statuses(callId)).toEqual(['recording', 'notRecording']);
    expect((await refusal(service.check({ grantId: grant.grantId, callId }))).code).toBe('GrantEnded');
    expect((await refusal(service.stop({ grantId: grant.grantId, callId }))).code).toBe('GrantEnded');
    const trail = await actions(callId);
    expect(trail.indexOf('stopped')).toBeLessThan(trail.indexOf('status-requested:notRecording'));
  });

  it('renews a live lease, and revokes an expired one with failed sent', async () => {
    const callId = newCall();
    const grant = await service.start({ callId, recorder: 'media-0' });
    clock = leaseMs / 2;
    const renewed = await service.renew({ grantId: grant.grantId, callId });
    expect(Date.parse(renewed.expiresAt!)).toBeGreaterThan(Date.parse(grant.expiresAt!));
    clock = leaseMs * 2;
    expect((await refusal(service.renew({ grantId: grant.grantId, callId }))).code).toBe('LeaseExpired');
    expect(signaling.statuses(callId)).toEqual(['recording', 'failed']);
    expect(events.filter((e) => e.type === 'revoked' && e.grant.callId === callId).map((e) => ('grant' in e ? e.grant.reason : ''))).toEqual(['the lease expired without renewal']);
  });

  it('revokes leases the recorder stopped renewing, on the sweep, once across sweepers', async () => {
    const callId = newCall();
    await service.start({ callId, recorder: 'media-0' });
    clock = leaseMs + 1;
    const counts = await Promise.all([service.sweep(), service.sweep()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(signaling.statuses(callId)).toEqual(['recording', 'failed']);
    expect((await actions(callId)).filter((a) => a === 'revoked')).toHaveLength(1);
  });

  it('revokes the grant when the call ends, without a status for the ended call', async () => {
    const callId = newCall();
    const grant = await service.start({ callId, recorder: 'media-0' });
    await signaling.end(callId);
    await waitUntil(async () => (await actions(callId)).includes('revoked'), 'the revocation', 10_000, 20);
    expect(signaling.statuses(callId)).toEqual(['recording']);
    expect((await refusal(service.check({ grantId: grant.grantId, callId }))).message).toMatch(/revoked: the call ended/);
  });

  it('refuses bad requests clearly, audits them, and changes nothing', async () => {
    const unknown = `unknown-${namespace}`;
    expect(await refusal(service.start({ callId: unknown, recorder: 'media-0' }))).toMatchObject({ status: 404, code: 'CallNotFound' });
    expect(await refusal(service.start({ callId: newCall('incoming'), recorder: 'media-0' }))).toMatchObject({ status: 409, code: 'WrongState' });

    const callId = newCall();
    const forged = '9b2f6c1e-0000-4000-8000-000000000000';
    expect(await refusal(service.stop({ grantId: forged, callId }))).toMatchObject({ status: 404, code: 'UnknownGrant' });
    const grant = await service.start({ callId, recorder: 'media-0' });
    expect(await refusal(service.start({ callId, recorder: 'media-1' }))).toMatchObject({ status: 409, code: 'GrantExists' });
    expect(await refusal(service.renew({ grantId: forged, callId }))).toMatchObject({ status: 404, code: 'UnknownGrant' });
    expect(await refusal(service.check({ grantId: grant.grantId, callId: newCall() }))).toMatchObject({ status: 404, code: 'UnknownGrant' });
    // The grant is as it was: active, recorded once, requested once.
    expect((await service.check({ grantId: grant.grantId, callId })).state).toBe('active');
    expect(signaling.statuses(callId)).toEqual(['recording']);
    expect(await actions(callId)).toEqual(['refused', 'grant-requested', 'status-requested:recording', 'status-result:recording', 'granted', 'refused', 'refused']);
    expect(await actions(unknown)).toEqual(['refused']);
  });

  it('reads the audit trail of a time range back in the order it happened', async () => {
    const from = new Date().toISOString();
    const first = newCall();
    const second = newCall();
    const a = await service.start({ callId: first, recorder: 'media-0' });
    const b = await service.start({ callId: second, recorder: 'media-1' });
    await service.stop({ grantId: a.grantId, callId: first });
    await service.stop({ grantId: b.grantId, callId: second });
    await waitUntil(async () => (await audit.query({ from })).filter((r) => r.action === 'status-result').length === 4, 'all outcomes', 10_000, 20);
    const trail = (await audit.query({ from })).map((r) => `${r.callId === first ? 'A' : 'B'} ${r.action}${r.status ? `:${r.status}` : ''}`);
    expect(trail.filter((t) => t.startsWith('A'))).toEqual([
      'A grant-requested', 'A status-requested:recording', 'A status-result:recording', 'A granted', 'A stopped', 'A status-requested:notRecording', 'A status-result:notRecording',
    ]);
    expect(trail.indexOf('A stopped')).toBeGreaterThan(trail.indexOf('B granted'));
    const times = (await audit.query({ from })).map((r) => Date.parse(r.at));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(await audit.query({ from, limit: 2 })).toHaveLength(2);
  });
});
