import { connect, type NatsConnection } from 'nats';
import { natsForSpecFile, waitUntil } from '@switchboard/dev-infra';
import { complianceNames, type ComplianceAction, type Grant } from '@switchboard/nats-contracts';
import { NatsRecordingGrants } from './nats-recording-grants';

const nats = natsForSpecFile();
jest.setTimeout(20_000);

/**
 * recording-compliance's side of the protocol played by the test on real NATS (the real service runs against the pod
 * in platform-e2e's media-recording suite): it answers commands as told and publishes lease events.
 */
class ComplianceStandIn {
  readonly names = complianceNames(`grants${Math.floor(Math.random() * 1e6)}`);
  readonly asked: { action: ComplianceAction; payload: Record<string, unknown> }[] = [];
  answer: Partial<Record<ComplianceAction, (payload: Record<string, unknown>) => unknown>> = {};
  leaseMs = 60_000;

  constructor(readonly nc: NatsConnection) {
    for (const action of ['start', 'renew', 'stop', 'check'] as const) {
      nc.subscribe(this.names.commandSubject(action), {
        callback: (_e, msg) => {
          const payload = msg.json<Record<string, unknown>>();
          this.asked.push({ action, payload });
          const result = this.answer[action]?.(payload) ?? this.grant(payload, action === 'stop' ? 'stopped' : 'active');
          msg.respond(JSON.stringify(result && typeof result === 'object' && 'ok' in result ? result : { ok: true, result }));
        },
      });
    }
  }

  grant(payload: Record<string, unknown>, state: Grant['state']): Grant {
    return {
      grantId: (payload['grantId'] as string | undefined) ?? '7d1f2a3b-0000-4000-8000-000000000001',
      callId: payload['callId'] as string,
      tenantId: 'tenant-1',
      recorder: 'media:media-0:record',
      state,
      ...(state === 'active' ? { expiresAt: new Date(Date.now() + this.leaseMs).toISOString() } : {}),
    };
  }

  event(type: 'granted' | 'revoked' | 'stopped', grant: Grant): void {
    this.nc.publish(this.names.eventSubject(type), JSON.stringify({ type, at: new Date().toISOString(), grant }));
  }

  count(action: ComplianceAction): number {
    return this.asked.filter((a) => a.action === action).length;
  }
}

describe('NatsRecordingGrants: the pod side of the grant protocol over NATS', () => {
  let nc: NatsConnection;
  let compliance: ComplianceStandIn;
  let grants: NatsRecordingGrants;

  beforeEach(async () => {
    nc = await connect({ servers: nats.url });
    compliance = new ComplianceStandIn(nc);
    grants = new NatsRecordingGrants(nc, compliance.names, { pendingCheckMs: 50, acquireTimeoutMs: 2000 });
    await nc.flush();
  });
  afterEach(async () => {
    grants.close();
    await nc.close();
  });

  it('acquires an active grant, holds it for the call, and stops it on release', async () => {
    const grant = await grants.acquire('call-1', 'media:media-0:record');
    expect(grant).toMatchObject({ valid: true, callId: 'call-1', tenantId: 'tenant-1', recorder: 'media:media-0:record' });
    expect(grants.grantFor('CALL-1')).toBe(grant);
    expect(compliance.asked[0]).toEqual({ action: 'start', payload: { callId: 'call-1', recorder: 'media:media-0:record', waitMs: 10_000 } });

    await grants.release('call-1');
    expect(grant.valid).toBe(false);
    expect(grants.grantFor('call-1')).toBeUndefined();
    expect(compliance.asked.at(-1)).toEqual({ action: 'stop', payload: { grantId: grant.grantId, callId: 'call-1', recorder: 'media:media-0:record' } });
  });

  it('rejects with compliance’s refusal and holds nothing', async () => {
    compliance.answer.start = () => ({ ok: false, status: 404, code: 'CallNotFound', message: 'no call call-2 is known to signaling' });
    await expect(grants.acquire('call-2', 'media:media-0:record')).rejects.toMatchObject({ code: 'CallNotFound', message: 'no call call-2 is known to signaling' });
    expect(grants.grantFor('call-2')).toBeUndefined();
  });

  it('waits for a pending grant until its granted event (or a check) makes it active', async () => {
    compliance.answer.start = (p) => compliance.grant(p, 'pending');
    compliance.answer.check = () => ({ ok: false, status: 409, code: 'GrantPending', message: 'pending' });
    const acquiring = grants.acquire('call-3', 'media:media-0:record');
    await waitUntil(() => compliance.count('check') > 0, 'a check of the pending grant', 5000, 10);
    compliance.event('granted', compliance.grant({ callId: 'call-3' }, 'active'));
    await expect(acquiring).resolves.toMatchObject({ valid: true, callId: 'call-3' });
  });

  it('rejects a pending grant that is revoked before Graph accepted it', async () => {
    compliance.answer.start = (p) => compliance.grant(p, 'pending');
    compliance.answer.check = () => ({ ok: false, status: 409, code: 'GrantPending', message: 'pending' });
    const acquiring = grants.acquire('call-4', 'media:media-0:record');
    await waitUntil(() => compliance.count('check') > 0, 'a check of the pending grant', 5000, 10);
    compliance.event('revoked', { ...compliance.grant({ callId: 'call-4' }, 'revoked'), reason: 'Graph failed the status' });
    await expect(acquiring).rejects.toMatchObject({ code: 'GrantEnded', message: expect.stringContaining('Graph failed the status') });
  });

  it('renews the lease while held, and ends the grant at once when a renewal is refused', async () => {
    compliance.leaseMs = 400;
    const grant = await grants.acquire('call-5', 'media:media-0:record');
    const revoked = jest.fn();
    grant.onRevoked(revoked);
    await waitUntil(() => compliance.count('renew') >= 2, 'two renewals', 5000, 20);
    expect(grant.valid).toBe(true);
    compliance.answer.renew = () => ({ ok: false, status: 410, code: 'LeaseExpired', message: 'the lease expired' });
    await waitUntil(() => !grant.valid, 'the grant ends', 5000, 20);
    expect(revoked).toHaveBeenCalledTimes(1);
    expect(grants.grantFor('call-5')).toBeUndefined();
  });

  it('makes the grant invalid at once on its revoked event, and release then sends nothing', async () => {
    const grant = await grants.acquire('call-6', 'media:media-0:record');
    const revoked = jest.fn();
    grant.onRevoked(revoked);
    compliance.event('revoked', compliance.grant({ grantId: grant.grantId, callId: 'call-6' }, 'revoked'));
    await waitUntil(() => !grant.valid, 'the revocation', 5000, 10);
    expect(revoked).toHaveBeenCalledTimes(1);
    await grants.release('call-6');
    expect(compliance.count('stop')).toBe(0);
  });

  it('refuses a second grant of a call it already holds', async () => {
    await grants.acquire('call-7', 'media:media-0:record');
    await expect(grants.acquire('call-7', 'media:media-0')).rejects.toMatchObject({ code: 'GrantExists' });
    expect(compliance.count('start')).toBe(1);
  });
});
