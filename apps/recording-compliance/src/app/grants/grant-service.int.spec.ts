import { natsForSpecFile, waitUntil } from '@switchboard/dev-infra';
import type { ApiFailure } from '@switchboard/api-auth';
import { ComplianceHarness, refusalOf, STAY_TENANT } from './compliance-harness.testing';

const nats = natsForSpecFile();
jest.setTimeout(30_000);

describe('GrantService (real NATS: grants KV, audit stream, call events)', () => {
  const leaseMs = 60_000;
  const h = new ComplianceHarness(leaseMs);
  beforeAll(() => h.start(nats.url));
  afterAll(() => h.stop());
  afterEach(() => h.reset());

  const newCall = (state?: string) => h.newCall(state);
  const actions = (callId: string) => h.trail(callId);
  const refusal = (work: Promise<unknown>) => refusalOf<ApiFailure>(work);
  const namespace = h.namespace;

  it('grants only after Graph reported that recording succeeded, and audits each step in order', async () => {
    const callId = newCall();
    h.signaling.graphAnswer = 'later';
    const pending = await h.grants.start({ callId, recorder: 'media-0', waitMs: 200 });
    expect(pending.state).toBe('pending');
    expect((await refusal(h.grants.check({ grantId: pending.grantId, callId }))).code).toBe('GrantPending');
    await h.signaling.report(callId, h.signaling.requests.at(-1)!.clientContext, 'completed');
    await waitUntil(async () => (await h.grants.check({ grantId: pending.grantId, callId }).catch(() => undefined))?.state === 'active', 'the grant', 10_000, 20);
    expect(await actions(callId)).toEqual(['grant-requested', 'status-requested:recording', 'status-result:recording', 'granted']);
    const granted = (await h.audit.query({ callId })).find((r) => r.action === 'granted');
    expect(granted).toMatchObject({ actor: 'graph', grantId: pending.grantId, tenantId: 'tenant-1', operationId: expect.stringMatching(/^op-/) });
    expect(h.events.filter((e) => e.type === 'granted' && e.grant.callId === callId)).toHaveLength(1);
  });

  it('refuses a grant Graph failed, sends failed, and lets nothing write', async () => {
    const callId = newCall();
    h.signaling.graphAnswer = 'failed';
    const refused = await refusal(h.grants.start({ callId, recorder: 'media-0' }));
    expect(refused).toMatchObject({ status: 409, code: 'NotGranted', message: expect.stringMatching(/Graph did not accept recording: recording status could not be set/) });
    await waitUntil(() => h.signaling.statuses(callId).length === 2, 'the failed status', 10_000, 20);
    expect(h.signaling.statuses(callId)).toEqual(['recording', 'failed']);
    const grantId = (await h.audit.query({ callId }))[0].grantId!;
    expect((await refusal(h.grants.check({ grantId, callId }))).code).toBe('GrantEnded');
    await waitUntil(async () => (await actions(callId)).includes('status-result:failed'), 'the failed status outcome', 10_000, 20);
    expect(await actions(callId)).toEqual(['grant-requested', 'status-requested:recording', 'status-result:recording', 'revoked', 'status-requested:failed', 'status-result:failed']);
  });

  it('stops: the lease ends first, then notRecording is sent; a second stop is refused', async () => {
    const callId = newCall();
    const grant = await h.grants.start({ callId, recorder: 'media-0' });
    expect(grant.state).toBe('active');
    const stopped = await h.grants.stop({ grantId: grant.grantId, callId, recorder: 'media-0' });
    expect(stopped.state).toBe('stopped');
    expect(h.signaling.statuses(callId)).toEqual(['recording', 'notRecording']);
    expect((await refusal(h.grants.check({ grantId: grant.grantId, callId }))).code).toBe('GrantEnded');
    expect((await refusal(h.grants.stop({ grantId: grant.grantId, callId }))).code).toBe('GrantEnded');
    const trail = await actions(callId);
    expect(trail.indexOf('stopped')).toBeLessThan(trail.indexOf('status-requested:notRecording'));
  });

  it('renews a live lease, and revokes an expired one with failed sent', async () => {
    const callId = newCall();
    const grant = await h.grants.start({ callId, recorder: 'media-0' });
    h.clock = leaseMs / 2;
    const renewed = await h.grants.renew({ grantId: grant.grantId, callId });
    expect(Date.parse(renewed.expiresAt!)).toBeGreaterThan(Date.parse(grant.expiresAt!));
    h.clock = leaseMs * 2;
    expect((await refusal(h.grants.renew({ grantId: grant.grantId, callId }))).code).toBe('LeaseExpired');
    expect(h.signaling.statuses(callId)).toEqual(['recording', 'failed']);
    expect(h.events.filter((e) => e.type === 'revoked' && e.grant.callId === callId).map((e) => ('grant' in e ? e.grant.reason : ''))).toEqual(['the lease expired without renewal']);
  });

  it('revokes leases the recorder stopped renewing, on the sweep, once across sweepers', async () => {
    const callId = newCall();
    await h.grants.start({ callId, recorder: 'media-0' });
    h.clock = leaseMs + 1;
    const counts = await Promise.all([h.sweep(), h.sweep()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(h.signaling.statuses(callId)).toEqual(['recording', 'failed']);
    expect((await actions(callId)).filter((a) => a === 'revoked')).toHaveLength(1);
  });

  it('appends on a later sweep an audit entry whose append failed after the grant was written, once', async () => {
    const callId = newCall();
    const grant = await h.grants.start({ callId, recorder: 'media-0' });
    const append = h.audit.append.bind(h.audit);
    const failing = jest.spyOn(h.audit, 'append').mockImplementation((entry) => (entry.action === 'revoked' ? Promise.reject(new Error('audit stream unavailable')) : append(entry)));
    h.clock = leaseMs + 1;
    try {
      await expect(h.sweep()).rejects.toThrow('audit stream unavailable');
    } finally {
      failing.mockRestore();
    }
    expect((await refusal(h.grants.check({ grantId: grant.grantId, callId }))).code).toBe('GrantEnded');
    expect(await actions(callId)).not.toContain('revoked');
    await h.sweep();
    await h.sweep();
    expect((await actions(callId)).filter((a) => a === 'revoked')).toHaveLength(1);
  });

  it('revokes every expired lease on a sweep while signaling leaves one revocation unanswered, and applies the others\' policies', async () => {
    const stuck = newCall();
    const other = h.newCall('established', { policyRecorded: true });
    await h.grants.start({ callId: stuck, recorder: 'media-0' });
    await h.grants.start({ callId: other, recorder: 'media-1' });
    let answer!: () => void;
    h.signaling.unanswered.set(stuck, new Promise((resolve) => (answer = resolve)));
    h.clock = leaseMs + 1;
    // The sweep is over once both are revoked, though signaling has not answered `failed` for the stuck one.
    const { revoked, followUps } = await h.grants.sweep();
    expect(revoked).toBeGreaterThanOrEqual(2);
    expect(await actions(stuck)).toContain('revoked');
    expect(await actions(other)).toContain('revoked');
    await waitUntil(() => h.signaling.hungUp.includes(other), "the other call's failure policy", 10_000, 20);
    expect(h.signaling.statuses(other)).toEqual(['recording', 'failed']);
    answer();
    expect(await followUps).toEqual([]);
    expect(h.signaling.statuses(stuck)).toEqual(['recording', 'failed']);
  });

  it('when the call ends, lets the writers commit within the grace, refuses renewals, and revokes at its end without a status', async () => {
    const callId = newCall();
    const grant = await h.grants.start({ callId, recorder: 'media-0' });
    await h.signaling.end(callId);
    await waitUntil(async () => (await actions(callId)).includes('call-ended'), 'the call end', 10_000, 20);
    // Still good for a commit of what was recorded, not for more time.
    expect((await h.grants.check({ grantId: grant.grantId, callId })).state).toBe('active');
    expect((await refusal(h.grants.renew({ grantId: grant.grantId, callId }))).code).toBe('CallEnded');
    h.clock = 31_000;
    expect(await h.sweep()).toBeGreaterThanOrEqual(1);
    expect((await refusal(h.grants.check({ grantId: grant.grantId, callId }))).message).toMatch(/revoked: the call ended/);
    expect(h.signaling.statuses(callId)).toEqual(['recording']);
    expect(await actions(callId)).toEqual(['grant-requested', 'status-requested:recording', 'status-result:recording', 'granted', 'call-ended', 'refused', 'revoked']);
  });

  it('stops a grant after the call ended without notRecording, and revokes a pending one at once', async () => {
    const callId = newCall();
    const grant = await h.grants.start({ callId, recorder: 'media-0' });
    await h.signaling.end(callId);
    await waitUntil(async () => (await actions(callId)).includes('call-ended'), 'the call end', 10_000, 20);
    expect((await h.grants.stop({ grantId: grant.grantId, callId })).state).toBe('stopped');
    expect(h.signaling.statuses(callId)).toEqual(['recording']);

    const waiting = newCall();
    h.signaling.graphAnswer = 'later';
    const pending = await h.grants.start({ callId: waiting, recorder: 'media-0', waitMs: 50 });
    await h.signaling.end(waiting);
    await waitUntil(async () => (await actions(waiting)).includes('revoked'), 'the revocation', 10_000, 20);
    expect((await refusal(h.grants.check({ grantId: pending.grantId, callId: waiting }))).message).toMatch(/revoked: the call ended/);
    expect(h.signaling.statuses(waiting)).toEqual(['recording']);
  });

  it('refuses bad requests clearly, audits them, and changes nothing', async () => {
    const unknown = `unknown-${namespace}`;
    expect(await refusal(h.grants.start({ callId: unknown, recorder: 'media-0' }))).toMatchObject({ status: 404, code: 'CallNotFound' });
    expect(await refusal(h.grants.start({ callId: newCall('incoming'), recorder: 'media-0' }))).toMatchObject({ status: 409, code: 'WrongState' });

    const callId = newCall();
    const forged = '9b2f6c1e-0000-4000-8000-000000000000';
    expect(await refusal(h.grants.stop({ grantId: forged, callId }))).toMatchObject({ status: 404, code: 'UnknownGrant' });
    const grant = await h.grants.start({ callId, recorder: 'media-0' });
    expect(await refusal(h.grants.start({ callId, recorder: 'media-1' }))).toMatchObject({ status: 409, code: 'GrantExists' });
    expect(await refusal(h.grants.renew({ grantId: forged, callId }))).toMatchObject({ status: 404, code: 'UnknownGrant' });
    expect(await refusal(h.grants.check({ grantId: grant.grantId, callId: newCall() }))).toMatchObject({ status: 404, code: 'UnknownGrant' });
    // The grant is as it was: active, recorded once, requested once.
    expect((await h.grants.check({ grantId: grant.grantId, callId })).state).toBe('active');
    expect(h.signaling.statuses(callId)).toEqual(['recording']);
    expect(await actions(callId)).toEqual(['refused', 'grant-requested', 'status-requested:recording', 'status-result:recording', 'granted', 'refused', 'refused']);
    expect(await actions(unknown)).toEqual(['refused']);
  });

  it('answers a policy-based recording invitation signaling hands over, with the participant capacity, once, audited', async () => {
    const callId = newCall('incoming');
    const event = { type: 'incoming', eventId: `${callId}:1:incoming`, callId, tenantId: 'tenant-1', occurredAt: new Date().toISOString(), policyRecording: { observedParticipantId: 'p-1', policyId: 'tag:Bank', meeting: true } };
    await h.js.publish(h.names.eventSubject('incoming'), JSON.stringify(event), { msgID: event.eventId });
    await h.js.publish(h.names.eventSubject('incoming'), JSON.stringify({ ...event, eventId: `${callId}:1:incoming:again` }));
    await waitUntil(async () => (await actions(callId)).includes('invitation-answered'), 'the answer', 10_000, 20);
    await waitUntil(() => h.signaling.answered.filter((a) => a.callId === callId).length === 2, 'both deliveries', 10_000, 20);
    const answer = { callId, participantCapacity: 3, media: 'appHosted' };
    expect(h.signaling.answered.filter((a) => a.callId === callId)).toEqual([answer, answer]);
    // signaling answers once per idempotency key; the audit keeps one record per invitation.
    expect(await actions(callId)).toEqual(['invitation-answered']);
    expect((await h.audit.query({ callId }))[0]).toMatchObject({ actor: 'policy', result: { ok: true }, reason: expect.stringMatching(/tag:Bank.*p-1.*participantCapacity 3, appHosted media/) });
  });

  describe('a policy-recorded call with app-hosted media, once established', () => {
    /** A media pod hosting the call: answers record-call as `answer` decides, and counts the requests. */
    function podFor(callId: string, answer: (callId: string) => Promise<unknown>) {
      const asked: string[] = [];
      const sub = h.nc.subscribe(h.names.mediaCommandSubject(callId, 'record-call'), {
        callback: (_e, m) => {
          asked.push(callId);
          void answer(callId).then((reply) => m.respond(JSON.stringify(reply)));
        },
      });
      return { asked, stop: () => sub.unsubscribe() };
    }

    it('asks the pod hosting it to record the call, which takes the grant before anything is kept', async () => {
      const callId = h.newCall('established', { policyRecorded: true });
      const pod = podFor(callId, async (id) => ({ ok: true, grantId: (await h.grants.start({ callId: id, recorder: 'media:media-0' })).grantId }));
      await h.signaling.establish(callId);
      await waitUntil(async () => (await actions(callId)).includes('granted'), 'the grant', 10_000, 20);
      pod.stop();
      expect(pod.asked).toEqual([callId]);
      expect((await h.audit.query({ callId })).find((r) => r.action === 'grant-requested')).toMatchObject({ actor: 'media:media-0' });
    });

    it('asks again when no pod answers yet (its media session starts just after)', async () => {
      const callId = h.newCall('established', { policyRecorded: true });
      await h.signaling.establish(callId);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const pod = podFor(callId, async () => ({ ok: true, grantId: 'g' }));
      await waitUntil(() => pod.asked.length > 0, 'the redelivered request', 20_000, 50);
      pod.stop();
    });

    it('applies the tenant policy when the pod cannot record, and leaves other calls alone', async () => {
      const callId = h.newCall('established', { policyRecorded: true });
      const pod = podFor(callId, async () => ({ ok: false, error: 'not-configured', message: 'recording is not configured on this media pod' }));
      await h.signaling.establish(callId);
      await waitUntil(() => h.signaling.hungUp.includes(callId), 'the recorder leaving', 10_000, 20);
      pod.stop();
      await waitUntil(async () => (await actions(callId)).includes('failure-policy-applied'), 'the policy audited', 10_000, 20);
      expect((await h.audit.query({ callId })).find((r) => r.action === 'failure-policy-applied')).toMatchObject({ reason: 'leave: the media pod cannot record: recording is not configured on this media pod' });
      expect(h.events.find((e) => e.type === 'recording-failed' && e.callId === callId)).toMatchObject({ action: 'leave' });

      const plain = newCall();
      const untouched = podFor(plain, async () => ({ ok: true, grantId: 'g' }));
      await h.signaling.establish(plain);
      await new Promise((resolve) => setTimeout(resolve, 500));
      untouched.stop();
      expect(untouched.asked).toEqual([]);
    });
  });

  describe('a policy-recorded call whose recording fails', () => {
    const failedEvents = (callId: string) => h.events.filter((e) => e.type === 'recording-failed' && e.callId === callId);

    it('leaves the call when Graph refuses recording (the tenant policy by default), after revoking and sending failed', async () => {
      const callId = h.newCall('established', { policyRecorded: true });
      h.signaling.graphAnswer = 'failed';
      await refusal(h.grants.start({ callId, recorder: 'media-0' }));
      await waitUntil(async () => (await actions(callId)).includes('failure-policy-applied'), 'the failure policy', 10_000, 20);
      expect(h.signaling.hungUp.filter((c) => c === callId)).toEqual([callId]);
      // Graph's answer to `failed` arrives as an event, so its audit record may come before or after the policy's.
      const trail = (await actions(callId)).filter((a) => a !== 'status-result:failed');
      expect(trail).toEqual(['grant-requested', 'status-requested:recording', 'status-result:recording', 'revoked', 'status-requested:failed', 'failure-policy-applied']);
      expect((await h.audit.query({ callId })).find((r) => r.action === 'failure-policy-applied')).toMatchObject({ actor: 'policy', result: { ok: true }, reason: expect.stringMatching(/^leave: Graph did not accept recording/) });
      await waitUntil(() => failedEvents(callId).length === 1, 'the recording-failed event', 10_000, 20);
      expect(failedEvents(callId)[0]).toMatchObject({ action: 'leave', tenantId: 'tenant-1', reason: expect.stringMatching(/Graph did not accept recording/) });
    });

    it('stays and alerts when its tenant says so, also when the lease expires', async () => {
      const callId = h.newCall('established', { policyRecorded: true, tenantId: STAY_TENANT });
      const grant = await h.grants.start({ callId, recorder: 'media-0' });
      h.clock = leaseMs + 1;
      expect(await h.sweep()).toBeGreaterThanOrEqual(1);
      await waitUntil(() => failedEvents(callId).length === 1, 'the recording-failed event', 10_000, 20);
      expect(failedEvents(callId)[0]).toMatchObject({ action: 'stay-and-alert', grantId: grant.grantId, reason: 'the lease expired without renewal' });
      expect(h.signaling.hungUp).not.toContain(callId);
      // Graph's answer to `failed` is audited when its event arrives, before or after the policy's record.
      expect((await h.audit.query({ callId })).find((r) => r.action === 'failure-policy-applied')).toMatchObject({ reason: 'stay-and-alert: the lease expired without renewal', result: { ok: true } });
    });

    it('leaves other calls to their recorders: no hang-up and no alert', async () => {
      const callId = newCall();
      h.signaling.graphAnswer = 'failed';
      await refusal(h.grants.start({ callId, recorder: 'media-0' }));
      await waitUntil(async () => (await actions(callId)).includes('status-requested:failed'), 'the failed status', 10_000, 20);
      expect(h.signaling.hungUp).not.toContain(callId);
      expect(await actions(callId)).not.toContain('failure-policy-applied');
      expect(failedEvents(callId)).toEqual([]);
    });
  });

  it('reads the audit trail of a time range back in the order it happened', async () => {
    const from = new Date().toISOString();
    const first = newCall();
    const second = newCall();
    const a = await h.grants.start({ callId: first, recorder: 'media-0' });
    const b = await h.grants.start({ callId: second, recorder: 'media-1' });
    await h.grants.stop({ grantId: a.grantId, callId: first });
    await h.grants.stop({ grantId: b.grantId, callId: second });
    await waitUntil(async () => (await h.audit.query({ from })).filter((r) => r.action === 'status-result').length === 4, 'all outcomes', 10_000, 20);
    const trail = (await h.audit.query({ from })).map((r) => `${r.callId === first ? 'A' : 'B'} ${r.action}${r.status ? `:${r.status}` : ''}`);
    expect(trail.filter((t) => t.startsWith('A'))).toEqual([
      'A grant-requested', 'A status-requested:recording', 'A status-result:recording', 'A granted', 'A stopped', 'A status-requested:notRecording', 'A status-result:notRecording',
    ]);
    expect(trail.indexOf('A stopped')).toBeGreaterThan(trail.indexOf('B granted'));
    const times = (await h.audit.query({ from })).map((r) => Date.parse(r.at));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(await h.audit.query({ from, limit: 2 })).toHaveLength(2);
  });
});
