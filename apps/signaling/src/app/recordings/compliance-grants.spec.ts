import { LeaseRefused } from '@switchboard/recording-store';
import { classifyGrantFailure, ComplianceGrants } from './compliance-grants';
import { signalingRecordings } from './recordings-factory';
import type { NatsConnection } from 'nats';

const lease = { grantId: 'a4b1c2d3-0000-4000-8000-000000000001', callId: '4f1e0b00-1a2b-4c3d-8e9f-0123456789ab' };
const refusing = (code: string) => async () => {
  throw new LeaseRefused(code, `refused: ${code}`);
};

describe('signaling as a recorder of recording-compliance', () => {
  it('asks for a grant without waiting for Graph', async () => {
    const asked: unknown[] = [];
    const grants = new ComplianceGrants({ start: async (...args) => (asked.push(args), { grantId: lease.grantId, callId: lease.callId, recorder: 'signaling', state: 'pending' as const }), stop: refusing('x'), renew: refusing('x') });
    await grants.start(lease.callId);
    expect(asked).toEqual([[lease.callId, 0]]);
  });

  it('takes stopping or renewing a grant that is already over as done, and any other refusal as a failure', async () => {
    for (const code of ['UnknownGrant', 'GrantEnded', 'LeaseExpired']) {
      const grants = new ComplianceGrants({ start: refusing(code), stop: refusing(code), renew: refusing(code) });
      await expect(grants.stop(lease)).resolves.toBeUndefined();
      await expect(grants.renew(lease)).resolves.toBeUndefined();
    }
    const unavailable = new ComplianceGrants({ start: refusing('ComplianceUnavailable'), stop: refusing('ComplianceUnavailable'), renew: refusing('GrantPending') });
    await expect(unavailable.stop(lease)).rejects.toThrow('ComplianceUnavailable');
    await expect(unavailable.renew(lease)).rejects.toThrow('GrantPending');
  });

  it('retries only when recording-compliance could not answer; its refusals are permanent; other errors are not its to classify', () => {
    expect(classifyGrantFailure(new LeaseRefused('ComplianceUnavailable', 'no answer'))).toBe('transient');
    expect(classifyGrantFailure(new LeaseRefused('ComplianceFailed', 'bad reply'))).toBe('transient');
    expect(classifyGrantFailure(new LeaseRefused('GrantExists', 'asked twice'))).toBe('permanent');
    expect(classifyGrantFailure(new LeaseRefused('WrongState', 'not established'))).toBe('permanent');
    expect(classifyGrantFailure(new Error('graph'))).toBeUndefined();
  });

  it('refuses every recording, naming the variable, when signaling has no Blob storage', async () => {
    const { grants, recordings } = signalingRecordings({} as NatsConnection, { NATS_NAMESPACE: '', RECORDINGS_CONTAINER: 'recordings', RECORDING_RETENTION_DAYS: 90, TENANT_RECORDING_RETENTION_DAYS: {} });
    const refusal = await grants.start(lease.callId).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(LeaseRefused);
    expect(refusal).toMatchObject({ code: 'RecordingStorageMissing', message: expect.stringContaining('BLOB_CONNECTION_STRING') });
    expect(classifyGrantFailure(refusal)).toBe('permanent');
    await expect(recordings.store({ ...lease, grantId: lease.grantId, location: 'https://x', accessToken: 't', participants: [], startedAt: new Date(), endedAt: new Date() })).rejects.toThrow('BLOB_CONNECTION_STRING');
  });
});
