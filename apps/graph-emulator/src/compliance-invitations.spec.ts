import { callSchema } from '@switchboard/graph-models';
import { SERVICE_HOSTED, call, useBotFixture } from '../test/harness';

describe('compliance recording invitations', () => {
  const f = useBotFixture('all');
  const invite = (body: unknown) => call(f.emulator, 'POST', '/emulator/calls/compliance-invite', { body });

  it("invites the recorder to a recorded user's meeting with the policy, the observed user and a meeting token", async () => {
    const res = await invite({ observedUser: { id: 'u-recorded', displayName: 'Recorded User' }, policyId: 'tag:Bank', meeting: true, otherSide: { id: 'u-other' } });
    expect(res.status).toBe(201);
    const { callId } = res.json as { callId: string };
    const created = await f.bot.waitFor('the invitation', () => f.bot.forCall(callId).find((n) => n.changeType === 'created'));
    const graphCall = callSchema.parse(created.resourceData);
    expect(graphCall.state).toBe('incoming');
    expect(graphCall.meetingInfo).toMatchObject({ '@odata.type': '#microsoft.graph.tokenMeetingInfo', token: expect.any(String) });
    expect(graphCall.incomingContext?.observedParticipantId).toBe(graphCall.source?.id);
    expect(graphCall.applicationMetadata).toMatchObject({
      botData: { inviteReasons: ['PolicyBasedRecording'], policyIdentifier: 'tag:Bank', user: { id: 'u-recorded' }, otherSideUser: { id: 'u-other' } },
    });
    const answer = await f.graph('POST', `/${callId}/answer`, { callbackUri: f.bot.url, acceptedModalities: ['audio'], mediaConfig: SERVICE_HOSTED, participantCapacity: 3 });
    expect(answer.status).toBe(202);
    await f.bot.waitFor('established', () => f.bot.forCall(callId).some((n) => n.resourceData.state === 'established'));
  });

  it('refuses an invitation without the observed user, and creates no call', async () => {
    const before = ((await call(f.emulator, 'GET', '/emulator/calls')).json as { value: unknown[] }).value.length;
    const res = await invite({ policyId: 'tag:Bank' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/observedUser/);
    expect(((await call(f.emulator, 'GET', '/emulator/calls')).json as { value: unknown[] }).value).toHaveLength(before);
  });
});
