import { randomUUID } from 'node:crypto';
import { waitUntil } from '@switchboard/dev-infra';
import type { CallEvent } from '@switchboard/nats-contracts';
import { answeredAppCall, CallControlClient, graphRequestsOfCall } from './support/call-control-client';
import type { E2eHarness } from './support/harness';
import { useRoutedPlatform } from './support/routed-platform';

interface PlacedCall {
  callId: string;
  state: string;
}

/** Outbound, group and consultative calls placed through the call-control API (fixtures/api: flow "reminder"). */
describe('outbound calls through the call-control API, end to end', () => {
  let h: E2eHarness;
  let api: CallControlClient;
  useRoutedPlatform('api', { emulatorEnv: { EMULATOR_PROMPT_MS: '200', EMULATOR_RING_MS: '100' } }, (harness) => (h = harness));
  beforeAll(async () => (api = await CallControlClient.start(h)));

  /** A Teams user the emulator's callee rules know: they answer, decline… after `ringMs`. */
  async function callee(behaviour: 'answer' | 'decline', ringMs = 100): Promise<string> {
    const userId = randomUUID();
    await h.control('PUT', `/emulator/callees/${userId}`, { behaviour, ringMs });
    return userId;
  }

  const createRequests = async (callId: string) => (await graphRequestsOfCall(h, callId)).filter((r) => r.method === 'POST' && r.path === '/v1.0/communications/calls');

  it('places a call that is answered: the flow plays its prompt, hangs up, and the API shows the call and its history', async () => {
    const userId = await callee('answer');
    const placed = await api.call<PlacedCall>(201, 'POST', '/v1/calls', { target: { user: { id: userId, displayName: 'Pat Patient' } }, flow: 'reminder' });
    expect(placed).toEqual({ callId: expect.any(String), state: 'establishing', myParticipantId: expect.any(String) });
    const { callId } = placed;

    const [create, ...others] = await createRequests(callId);
    expect(others).toEqual([]);
    expect(create).toMatchObject({
      status: 201,
      body: {
        callbackUri: `${h.platform.webhookBaseUrl}/api/calling`,
        targets: [{ identity: { user: { id: userId } } }],
        mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
      },
    });

    await h.waitForEvent(callId, 'established');
    const terminated = await h.waitForEvent(callId, 'terminated');
    expect(terminated.resultInfo).toMatchObject({ code: 200, subcode: 7000 });
    expect((await h.promptRequests(callId)).map((p) => [p.status, p.prompts])).toEqual([[200, ['appointment-reminder.wav']]]);
    const actions = await h.graphActions(callId);
    expect(actions.indexOf('playPrompt')).toBeLessThan(actions.indexOf('DELETE'));
    expect((await h.waitForFlowEvent(callId, 'flow-finished')).data).toMatchObject({ reason: 'hangup' });

    const view = await api.call<Record<string, unknown>>(200, 'GET', `/v1/calls/${callId}`);
    expect(view).toMatchObject({
      callId,
      state: 'terminated',
      direction: 'outgoing',
      handler: { kind: 'flow', flowId: 'reminder' },
      flow: { id: 'reminder', status: 'finished' },
      placedBy: { subject: h.emulator.apiClient.clientId },
      resultInfo: { code: 200, subcode: 7000 },
    });
    expect(view).not.toHaveProperty('outbox');
    const { history } = await api.call<{ history: { type: string; eventId: string }[] }>(200, 'GET', `/v1/calls/${callId}/history`);
    const types = history.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['established', 'operation-completed', 'flow-event', 'terminated']));
    expect(types.indexOf('established')).toBeLessThan(types.indexOf('operation-completed'));
    expect(types.at(-1)).toBe('terminated');
    // The history is the events the call published, under the same ids.
    expect(history.map((e) => e.eventId)).toEqual(expect.arrayContaining([terminated.eventId]));
  });

  it('places a call the callee declines: it ends with 603 explained, no flow runs, and the API shows it terminated', async () => {
    const userId = await callee('decline');
    const { callId } = await api.call<PlacedCall>(201, 'POST', '/v1/calls', { target: { user: { id: userId } }, flow: 'reminder' });

    const terminated = await h.waitForEvent(callId, 'terminated');
    expect(terminated.resultInfo).toMatchObject({ code: 603, subcode: 0, message: expect.stringContaining('declined') });
    // 603 is not in the contract's result table, so the explanation is the generic one; the message says why.
    expect(terminated.explanation).toEqual({ outcome: expect.any(String), cause: expect.stringMatching(/\w/), action: expect.stringMatching(/\w/) });
    expect(h.events.some((e) => e.callId === callId && e.type === 'established')).toBe(false);
    expect((await graphRequestsOfCall(h, callId)).map((r) => r.method)).toEqual(['POST']);

    const view = await api.call<Record<string, unknown>>(200, 'GET', `/v1/calls/${callId}`);
    expect(view).toMatchObject({ state: 'terminated', resultInfo: { code: 603, subcode: 0 } });
    expect(view).not.toHaveProperty('flow');
  });

  it('places one call for two requests with the same Idempotency-Key, and refuses the key for another request', async () => {
    const userId = await callee('answer');
    const key = `place-${randomUUID()}`;
    const body = { target: { user: { id: userId } } };
    const first = await api.send<PlacedCall>('POST', '/v1/calls', body, { idempotencyKey: key });
    const second = await api.send<PlacedCall>('POST', '/v1/calls', body, { idempotencyKey: key });

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.headers['idempotent-replayed']).toBe('true');

    const reused = await api.send<{ code: string; message: string }>('POST', '/v1/calls', { target: { user: { id: randomUUID() } } }, { idempotencyKey: key });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IdempotencyKeyReused');

    const log = await h.control<{ items: { method: string; path: string; body: unknown }[] }>('GET', '/emulator/requests?since=0');
    const creates = log.items.filter((r) => r.method === 'POST' && r.path === '/v1.0/communications/calls' && JSON.stringify(r.body).includes(userId));
    expect(creates).toHaveLength(1);
    expect(await createRequests(first.body.callId)).toHaveLength(1);

    await h.waitForEvent(first.body.callId, 'established');
    await api.call(202, 'DELETE', `/v1/calls/${first.body.callId}`);
    await h.waitForEvent(first.body.callId, 'terminated');
  });

  it('transfers an answered call to an agent the app called first (consultative): both calls end as transferred', async () => {
    const agentId = await callee('answer');
    const customerCall = await answeredAppCall(h, api, 'Transferred Customer');
    const { callId: agentCall } = await api.call<PlacedCall>(201, 'POST', '/v1/calls', { target: { user: { id: agentId, displayName: 'Agent' } } });
    await h.waitForEvent(agentCall, 'established');

    const accepted = await api.call(202, 'POST', `/v1/calls/${customerCall}/transfer`, { target: { user: { id: agentId } }, replacesCallId: agentCall });
    expect(accepted).toEqual({ callId: customerCall, status: 'accepted' });

    const [customerEnd, agentEnd] = await Promise.all([h.waitForEvent(customerCall, 'terminated'), h.waitForEvent(agentCall, 'terminated')]);
    expect(customerEnd.resultInfo).toMatchObject({ code: 200, subcode: 7015 });
    expect(agentEnd.resultInfo).toMatchObject({ code: 200, subcode: 7015 });
    const states = h.events.flatMap((e) => (e.callId === customerCall && e.type === 'state-changed' ? [e.to] : []));
    expect(states).toEqual(expect.arrayContaining(['transferring', 'transferAccepted', 'terminated']));

    const transfers = (await h.graphRequests(customerCall)).filter((r) => r.path.endsWith('/transfer'));
    expect(transfers).toMatchObject([{ status: 202, body: { transferTarget: { replacesCallId: agentCall, identity: { user: { id: agentId } } } } }]);
    // Graph ends both legs itself: the platform sends no hang-up for either.
    expect(await h.graphActions(customerCall)).not.toContain('DELETE');
    expect(await h.graphActions(agentCall)).not.toContain('DELETE');
    for (const callId of [customerCall, agentCall]) {
      expect(await api.call(200, 'GET', `/v1/calls/${callId}`)).toMatchObject({ state: 'terminated', resultInfo: { code: 200, subcode: 7015 } });
    }
  });

  it('places a group call, invites a third person who joins, and surfaces an invitee who declines', async () => {
    const [first, second, joiner, decliner] = [await callee('answer'), await callee('answer'), await callee('answer'), await callee('decline')];
    const { callId } = await api.call<PlacedCall>(201, 'POST', '/v1/calls', { targets: [{ user: { id: first } }, { user: { id: second } }], subject: 'Standup' });
    await h.waitForEvent(callId, 'established');
    await waitForRoster(callId, [first, second]);

    const invited = await api.call<{ operation: { kind: string; status: string } }>(200, 'POST', `/v1/calls/${callId}/participants/invite`, {
      participants: [{ user: { id: joiner, displayName: 'Late Joiner' } }],
      clientContext: 'invite-joiner',
    });
    expect(invited.operation).toMatchObject({ kind: 'inviteParticipantsOperation', status: 'running' });
    await waitForRoster(callId, [first, second, joiner]);
    expect(await operationOutcome(callId, 'invite-joiner')).toMatchObject({ status: 'completed' });

    await api.call(200, 'POST', `/v1/calls/${callId}/participants/invite`, { participants: [{ user: { id: decliner } }], clientContext: 'invite-decliner' });
    expect(await operationOutcome(callId, 'invite-decliner')).toMatchObject({ status: 'failed', resultInfo: { code: 603, subcode: 0 } });
    expect(await api.participantUserIds(callId)).not.toContain(decliner);

    const invites = (await h.graphRequests(callId)).filter((r) => r.path.endsWith('/participants/invite'));
    expect(invites).toMatchObject([
      { status: 200, body: { participants: [{ identity: { user: { id: joiner } } }] } },
      { status: 200, body: { participants: [{ identity: { user: { id: decliner } } }] } },
    ]);
    await api.call(202, 'DELETE', `/v1/calls/${callId}`);
    await h.waitForEvent(callId, 'terminated');
  });

  async function waitForRoster(callId: string, userIds: string[]): Promise<void> {
    await waitUntil(async () => {
      const roster = await api.participantUserIds(callId);
      return userIds.every((id) => roster.includes(id));
    }, `${userIds.join(', ')} in the roster of ${callId}`);
  }

  /** The operation-completed event of the operation sent with `clientContext`. */
  async function operationOutcome(callId: string, clientContext: string): Promise<CallEvent | undefined> {
    const find = () => h.events.find((e) => e.callId === callId && e.type === 'operation-completed' && e.clientContext === clientContext);
    await waitUntil(() => find() !== undefined, `the outcome of ${clientContext} on ${callId}`);
    return find();
  }
});
