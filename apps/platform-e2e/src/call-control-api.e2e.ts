import { randomUUID } from 'node:crypto';
import type { CallCommandReply } from '@switchboard/nats-contracts';
import { answeredAppCall, CallControlClient, crmCallerId, NothingChangedWatch, type ApiRefusal } from './support/call-control-client';
import type { E2eHarness } from './support/harness';
import { useRoutedPlatform } from './support/routed-platform';

const PROMPT = 'https://prompts.e2e.test/crm-hello.wav';

/** An app deciding incoming calls itself, the API's refusals, and NATS commands (fixtures/api routes crm-* callers to "crm"). */
describe('the call-control API for apps, end to end', () => {
  let h: E2eHarness;
  let api: CallControlClient;
  useRoutedPlatform('api', { emulatorEnv: { EMULATOR_PROMPT_MS: '200', EMULATOR_RING_MS: '100' } }, (harness) => (h = harness));
  beforeAll(async () => (api = await CallControlClient.start(h)));

  it('hands a call from a crm caller to the app, which answers it, plays a prompt and hangs up through the API', async () => {
    const callerId = crmCallerId();
    const callId = await h.incomingCall({ caller: { id: callerId, displayName: 'CRM Customer' } });

    const incoming = await h.waitForEvent(callId, 'incoming');
    expect(incoming.handler).toEqual({ kind: 'app', app: 'crm' });
    expect(incoming.caller).toMatchObject({ id: callerId });
    // Routing handed the call to the app: signaling itself does not answer it.
    expect(await api.call(200, 'GET', `/v1/calls/${callId}`)).toMatchObject({ state: 'incoming', direction: 'incoming', handler: { kind: 'app', app: 'crm' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(await h.graphActions(callId)).toEqual([]);

    expect(await api.call(202, 'POST', `/v1/calls/${callId}/answer`, {})).toEqual({ callId, status: 'accepted' });
    await h.waitForEvent(callId, 'established');
    const [answer] = await h.graphRequests(callId);
    expect(answer).toMatchObject({ method: 'POST', status: 202, body: { callbackUri: `${h.platform.webhookBaseUrl}/api/calling`, acceptedModalities: ['audio'] } });

    const played = await api.call<{ operation: { id: string; kind: string; status: string } }>(200, 'POST', `/v1/calls/${callId}/play-prompt`, {
      prompts: [PROMPT],
      clientContext: 'crm-greeting',
    });
    expect(played).toMatchObject({ callId, operation: { kind: 'playPromptOperation', status: 'running', clientContext: 'crm-greeting' } });
    const completed = await waitForOperation(callId, played.operation.id);
    expect(completed).toMatchObject({ status: 'completed', clientContext: 'crm-greeting' });
    expect(await h.promptRequests(callId)).toMatchObject([{ status: 200, clientContext: 'crm-greeting', prompts: ['crm-hello.wav'] }]);

    expect(await api.call(202, 'DELETE', `/v1/calls/${callId}`)).toEqual({ callId, status: 'accepted' });
    expect((await h.waitForEvent(callId, 'terminated')).resultInfo).toMatchObject({ code: 200, subcode: 7000 });
    expect(await h.graphActions(callId)).toEqual(['answer', 'playPrompt', 'DELETE']);
    expect(await api.call(200, 'GET', `/v1/calls/${callId}`)).toMatchObject({ state: 'terminated' });
  });

  describe('refusals change nothing', () => {
    let established: string;
    let terminated: string;
    beforeAll(async () => {
      established = await answeredAppCall(h, api, 'Established Customer');
      terminated = await answeredAppCall(h, api, 'Gone Customer');
      await api.call(202, 'DELETE', `/v1/calls/${terminated}`);
      await h.waitForEvent(terminated, 'terminated');
    });
    afterAll(async () => {
      await api.call(202, 'DELETE', `/v1/calls/${established}`);
      await h.waitForEvent(established, 'terminated');
    });

    /** Sends the request, expects the refusal, and checks no Graph request went out and the record was not rewritten. */
    async function expectRefused(
      request: { method: 'GET' | 'POST' | 'DELETE'; path: string; body?: unknown; token?: string | null; callId?: string },
      refusal: { status: number; code: string; message: RegExp },
    ) {
      const watch = await NothingChangedWatch.start(h, request.callId);
      const res = await api.send<ApiRefusal>(request.method, request.path, request.body, { token: request.token });
      expect({ status: res.status, body: res.body }).toEqual({
        status: refusal.status,
        body: { statusCode: refusal.status, code: refusal.code, message: expect.stringMatching(refusal.message) },
      });
      await watch.expectNothingChanged();
      return res;
    }

    it('refuses a request without a token with 401 and a Bearer challenge', async () => {
      const res = await expectRefused(
        { method: 'POST', path: `/v1/calls/${established}/play-prompt`, body: { prompts: [PROMPT] }, token: null, callId: established },
        { status: 401, code: 'Unauthenticated', message: /missing bearer token in the Authorization header/ },
      );
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    });

    it('refuses a token that is not one: 401 invalid_token', async () => {
      const res = await expectRefused(
        { method: 'POST', path: '/v1/calls', body: { target: { user: { id: randomUUID() } } }, token: 'not-a-jwt' },
        { status: 401, code: 'Unauthenticated', message: /\w/ },
      );
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    });

    it('refuses a client without Calls.Control with 403 naming the role, while its reads still work', async () => {
      const readOnly = await CallControlClient.tokenFor(h, `reader-${randomUUID()}`, ['Calls.Read']);
      await expectRefused(
        { method: 'POST', path: `/v1/calls/${established}/play-prompt`, body: { prompts: [PROMPT] }, token: readOnly, callId: established },
        { status: 403, code: 'Forbidden', message: /needs the Calls\.Control role; the token has Calls\.Read/ },
      );
      await expectRefused(
        { method: 'POST', path: '/v1/calls', body: { target: { user: { id: randomUUID() } } }, token: readOnly },
        { status: 403, code: 'Forbidden', message: /Calls\.Place/ },
      );
      expect(await api.call(200, 'GET', `/v1/calls/${established}`, undefined, { token: readOnly })).toMatchObject({ callId: established, state: 'established' });
    });

    it('refuses an unknown call id with 404', async () => {
      const unknown = randomUUID();
      await expectRefused({ method: 'POST', path: `/v1/calls/${unknown}/play-prompt`, body: { prompts: [PROMPT] } }, { status: 404, code: 'CallNotFound', message: new RegExp(`call ${unknown} is not known`) });
      await expectRefused({ method: 'GET', path: `/v1/calls/${unknown}` }, { status: 404, code: 'CallNotFound', message: new RegExp(unknown) });
    });

    it('refuses actions in the wrong state with 409 WrongState naming the current state', async () => {
      await expectRefused(
        { method: 'POST', path: `/v1/calls/${established}/answer`, body: {}, callId: established },
        { status: 409, code: 'WrongState', message: /answer is not possible: .* is established, and answer needs state incoming/ },
      );
      await expectRefused(
        { method: 'POST', path: `/v1/calls/${terminated}/play-prompt`, body: { prompts: [PROMPT] }, callId: terminated },
        { status: 409, code: 'WrongState', message: /play-prompt is not possible: .* is terminated/ },
      );
      await expectRefused({ method: 'DELETE', path: `/v1/calls/${terminated}`, callId: terminated }, { status: 409, code: 'WrongState', message: /is terminated/ });
    });

    it('refuses invalid bodies with 400 naming the field', async () => {
      await expectRefused(
        { method: 'POST', path: `/v1/calls/${established}/play-prompt`, body: { prompts: ['ftp://prompts.e2e.test/x.wav'] }, callId: established },
        { status: 400, code: 'InvalidRequest', message: /invalid body: prompts\.0: must be the http\(s\) URL/ },
      );
      await expectRefused(
        { method: 'POST', path: `/v1/calls/${established}/play-prompt`, body: { prompts: [PROMPT], volume: 11 }, callId: established },
        { status: 400, code: 'InvalidRequest', message: /volume/ },
      );
      await expectRefused({ method: 'POST', path: '/v1/calls', body: { flow: 'reminder' } }, { status: 400, code: 'InvalidRequest', message: /target: give either target/ });
      await expectRefused(
        { method: 'POST', path: '/v1/calls', body: { target: { phone: '+14255550100' } } },
        { status: 400, code: 'InvalidRequest', message: /source: calling a phone number needs source\.applicationInstance/ },
      );
      await expectRefused({ method: 'POST', path: '/v1/calls', body: { target: { user: { id: randomUUID() } }, flow: 'no-such-flow' } }, { status: 400, code: 'UnknownFlow', message: /no-such-flow/ });
    });
  });

  describe('NATS commands', () => {
    async function command(action: string, payload: unknown): Promise<CallCommandReply> {
      const reply = await h.nc.request(h.names.commandSubject(action), new TextEncoder().encode(JSON.stringify(payload)), { timeout: 5_000 });
      return JSON.parse(new TextDecoder().decode(reply.data)) as CallCommandReply;
    }

    it('answers get with the call, and refuses an invalid payload or an unknown call with the REST status', async () => {
      const callId = await answeredAppCall(h, api, 'NATS Customer');
      expect(await command('get', { callId })).toMatchObject({ ok: true, result: { callId, state: 'established', handler: { kind: 'app', app: 'crm' } } });

      const watch = await NothingChangedWatch.start(h, callId);
      expect(await command('get', { callId: 'not a call id!' })).toEqual({ ok: false, status: 400, code: 'InvalidRequest', message: expect.stringMatching(/callId: must be a call id/) });
      expect(await command('play-prompt', { callId, prompts: [] })).toEqual({ ok: false, status: 400, code: 'InvalidRequest', message: expect.stringMatching(/prompts/) });
      expect(await command('get', { callId: randomUUID() })).toMatchObject({ ok: false, status: 404, code: 'CallNotFound' });
      await watch.expectNothingChanged();

      expect(await command('hang-up', { callId })).toEqual({ ok: true, result: { callId, status: 'accepted' } });
      await h.waitForEvent(callId, 'terminated');
    });
  });

  async function waitForOperation(callId: string, operationId: string) {
    const event = await h.waitForEvent(callId, 'operation-completed');
    expect(event.operationId).toBe(operationId);
    return event;
  }
});
