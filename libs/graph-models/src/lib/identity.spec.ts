import { identitySetSchema, invitationParticipantInfoSchema, primaryIdentity } from './identity';

describe('identities', () => {
  it('picks the first identity kind present, in contract order', () => {
    const set = identitySetSchema.parse({ phone: { id: '+15551234567' }, applicationInstance: { id: 'ai' } });
    expect(primaryIdentity(set)).toEqual({ kind: 'applicationInstance', identity: { id: 'ai' } });
    expect(primaryIdentity({ endpointType: 'default' })).toBeUndefined();
    expect(primaryIdentity(null)).toBeUndefined();
  });

  it('skips kinds that are null', () => {
    expect(primaryIdentity({ user: null, guest: { id: 'g', displayName: 'Guest' } })?.kind).toBe('guest');
  });

  it('requires an identity on an invitation target', () => {
    expect(invitationParticipantInfoSchema.safeParse({ endpointType: 'default' }).error!.issues[0].path).toEqual(['identity']);
    expect(identitySetSchema.safeParse({ user: 'alice' }).success).toBe(false);
  });
});
