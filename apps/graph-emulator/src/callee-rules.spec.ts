import { CLOCK_SLACK_MS, SERVICE_HOSTED, answeredCall, call, statesOf, useBotFixture } from '../test/harness';

const target = (identity: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  '@odata.type': '#microsoft.graph.invitationParticipantInfo',
  identity,
  ...extra,
});

describe('callee rules for outgoing calls and transfers', () => {
  const f = useBotFixture('all');
  const rule = (key: string, body: unknown) => call(f.emulator, 'PUT', `/emulator/callees/${encodeURIComponent(key)}`, { body });
  const place = async (identity: Record<string, unknown>) => {
    const res = await f.graph('POST', '', { callbackUri: f.bot.url, targets: [target(identity)], requestedModalities: ['audio'], mediaConfig: SERVICE_HOSTED });
    expect(res.status).toBe(201);
    return (res.json as { id: string }).id;
  };
  const ended = (callId: string) =>
    f.bot.waitFor('terminated', () => f.bot.forCall(callId).find((n) => n.resourceData.state === 'terminated'));
  const established = (callId: string) =>
    f.bot.waitFor('established', () => f.bot.forCall(callId).some((n) => n.resourceData.state === 'established'));

  it.each([
    ['decline', 603, 0],
    ['busy', 486, 0],
    ['unreachable', 480, 10037],
  ])('a callee who is %s ends the call with %i/%i and it never connects', async (behaviour, code, subcode) => {
    await rule(`c-${behaviour}`, { behaviour });
    const id = await place({ user: { id: `c-${behaviour}` } });
    expect((await ended(id)).resourceData['resultInfo']).toMatchObject({ code, subcode });
    expect(statesOf(f, id)).toEqual(['establishing', 'terminated']);
  });

  it('a phone callee answers after their ring time and then runs their script', async () => {
    expect((await rule('+15550100', { behaviour: 'answer', ringMs: 300, script: [{ speak: 50 }, { hangup: true }] })).status).toBe(200);
    const started = Date.now();
    const id = await place({ phone: { id: '+15550100' } });
    await established(id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300 - CLOCK_SLACK_MS);
    expect((await ended(id)).resourceData['resultInfo']).toMatchObject({ code: 200, subcode: 4097 });
  });

  it('refuses a bad rule with 400 and keeps the old one', async () => {
    await rule('c-keep', { behaviour: 'busy' });
    for (const body of [{ behaviour: 'maybe' }, { behaviour: 'answer', ringMs: -1 }, { behaviour: 'answer', script: [{ dance: 1 }] }]) {
      expect((await rule('c-keep', body)).status).toBe(400);
    }
    expect((await ended(await place({ user: { id: 'c-keep' } }))).resourceData['resultInfo']).toMatchObject({ code: 486 });
  });

  it('a transfer target who is busy sends the call back to established with 500/7700 naming why', async () => {
    await rule('agent-busy', { behaviour: 'busy' });
    const callId = await answeredCall(f);
    expect((await f.graph('POST', `/${callId}/transfer`, { transferTarget: target({ user: { id: 'agent-busy' } }) })).status).toBe(202);
    await f.bot.waitFor('back to established', () => statesOf(f, callId).slice(-2).join() === 'transferring,established');
    expect(f.bot.forCall(callId).at(-1)!.resourceData['resultInfo']).toMatchObject({ code: 500, subcode: 7700, message: expect.stringMatching(/busy/) });
  });

  it('consultative transfer (replacesCallId) ends both calls 200/7015 after transferAccepted', async () => {
    const callerCall = await answeredCall(f);
    const consultation = await place({ user: { id: 'agent-1' } });
    await established(consultation);
    const res = await f.graph('POST', `/${callerCall}/transfer`, {
      transferTarget: target({ user: { id: 'agent-1' } }, { replacesCallId: consultation }),
    });
    expect(res.status).toBe(202);
    expect((await ended(callerCall)).resourceData['resultInfo']).toMatchObject({ code: 200, subcode: 7015 });
    expect(statesOf(f, callerCall).slice(-3)).toEqual(['transferring', 'transferAccepted', 'terminated']);
    expect((await ended(consultation)).resourceData['resultInfo']).toMatchObject({ code: 200, subcode: 7015 });
  });

  it('refuses a consultative transfer replacing an unknown call or itself with 400, leaving the call established', async () => {
    const callerCall = await answeredCall(f);
    for (const replacesCallId of ['2f0b3c4d-0000-4000-8000-000000000000', callerCall]) {
      const res = await f.graph('POST', `/${callerCall}/transfer`, { transferTarget: target({ user: { id: 'agent-1' } }, { replacesCallId }) });
      expect(res.status).toBe(400);
      expect((res.json as { error: { message: string } }).error.message).toContain('transferTarget.replacesCallId:');
    }
    expect(statesOf(f, callerCall).at(-1)).toBe('established');
    expect(((await f.graph('GET', `/${callerCall}`)).json as { state: string }).state).toBe('established');
  });
});
