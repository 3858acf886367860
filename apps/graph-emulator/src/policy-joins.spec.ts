import { callSchema } from '@switchboard/graph-models';
import { SERVICE_HOSTED, call, snapshotOf, useBotFixture } from '../test/harness';

describe('users joining a policy-recorded call (participantJoiningNotification)', () => {
  const f = useBotFixture('all');
  afterEach(() => (f.bot.joinAnswer = { '@odata.type': '#microsoft.graph.acceptJoinResponse' }));

  /** A compliance invitation answered with the given participant capacity, established. */
  async function recordedCall(participantCapacity?: number): Promise<string> {
    const res = await call(f.emulator, 'POST', '/emulator/calls/compliance-invite', { body: { observedUser: { id: 'u-first' }, policyId: 'tag:Bank', meeting: true } });
    const { callId } = res.json as { callId: string };
    await f.bot.waitFor('the invitation', () => f.bot.forCall(callId).length >= 1);
    await f.graph('POST', `/${callId}/answer`, { callbackUri: f.bot.url, acceptedModalities: ['audio'], mediaConfig: SERVICE_HOSTED, ...(participantCapacity ? { participantCapacity } : {}) });
    await f.bot.waitFor('established', () => f.bot.forCall(callId).some((n) => n.resourceData.state === 'established'));
    return callId;
  }
  const join = (callId: string, id: string) => call(f.emulator, 'POST', `/emulator/calls/${callId}/policy-join`, { body: { observedUser: { id, displayName: `User ${id}` } } });

  it('asks the bot about each user up to its capacity, and adds those it accepts', async () => {
    const callId = await recordedCall(2);
    const res = await join(callId, 'u-second');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ outcome: 'accepted', participantId: expect.any(String) });
    const asked = f.bot.forCall(callId).find((n) => n.resourceData['@odata.type'] === '#microsoft.graph.participantJoiningNotification');
    const joiningCall = callSchema.parse(asked?.resourceData['call']);
    expect(joiningCall.incomingContext?.observedParticipantId).toBe((res.json as { participantId: string }).participantId);
    expect(joiningCall.applicationMetadata).toMatchObject({ botData: { inviteReasons: ['PolicyBasedRecording'], policyIdentifier: 'tag:Bank', user: { id: 'u-second' } } });
    expect(f.bot.posts.find((p) => p.body.value[0] === asked)?.headers.authorization).toMatch(/^Bearer ey/);
    const snapshot = await snapshotOf<{ policy: unknown; participants: { identity: { user?: { id: string } } }[] }>(f, callId);
    expect(snapshot.policy).toEqual({ policyId: 'tag:Bank', recordedUsers: ['u-first', 'u-second'], participantCapacity: 2 });
    expect(snapshot.participants.map((p) => p.identity?.user?.id)).toContain('u-second');

    // The capacity is full: the next user comes to a bot as a new invitation, and this bot is not asked.
    const third = await join(callId, 'u-third');
    expect(third.json).toEqual({ outcome: 'new-invitation', callId: expect.any(String), why: 'capacity-full' });
    const invited = (third.json as { callId: string }).callId;
    const created = await f.bot.waitFor('the new invitation', () => f.bot.forCall(invited).find((n) => n.changeType === 'created'));
    expect(callSchema.parse(created.resourceData).applicationMetadata).toMatchObject({ botData: { user: { id: 'u-third' }, policyIdentifier: 'tag:Bank' } });
  });

  it('keeps a user the bot rejects out, and invites a new bot when asked to', async () => {
    const callId = await recordedCall(3);
    f.bot.joinAnswer = { '@odata.type': '#microsoft.graph.rejectJoinResponse', reason: 'Busy' };
    expect((await join(callId, 'u-refused')).json).toEqual({ outcome: 'rejected', reason: 'busy' });
    f.bot.joinAnswer = { '@odata.type': '#microsoft.graph.inviteNewBotResponse' };
    expect((await join(callId, 'u-elsewhere')).json).toEqual({ outcome: 'new-invitation', callId: expect.any(String), why: 'invite-new-bot' });
    f.bot.joinAnswer = { accepted: true };
    expect((await join(callId, 'u-unanswered')).json).toEqual({ outcome: 'failed', status: 200, error: 'the bot answered without a participantJoiningResponse' });
    expect((await snapshotOf<{ policy: { recordedUsers: string[] } }>(f, callId)).policy.recordedUsers).toEqual(['u-first']);
  });

  it('refuses a join to a call that is not policy-recorded, and a body without the user', async () => {
    const res = await call(f.emulator, 'POST', '/emulator/calls/incoming', { body: {} });
    const { callId } = res.json as { callId: string };
    await f.bot.waitFor('created', () => f.bot.forCall(callId).length >= 1);
    await f.graph('POST', `/${callId}/answer`, { callbackUri: f.bot.url, acceptedModalities: ['audio'], mediaConfig: SERVICE_HOSTED });
    await f.bot.waitFor('established', () => f.bot.forCall(callId).some((n) => n.resourceData.state === 'established'));
    expect((await join(callId, 'u-x')).status).toBe(409);
    const recorded = await recordedCall();
    const bad = await call(f.emulator, 'POST', `/emulator/calls/${recorded}/policy-join`, { body: {} });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/observedUser/);
  });
});
