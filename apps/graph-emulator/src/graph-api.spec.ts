import { SERVICE_HOSTED, answeredCall, call, mediaPrompt, useBotFixture } from '../test/harness';

const CALLS = '/v1.0/communications/calls';
const prompt = mediaPrompt('p');

describe('Graph calls API: authentication, errors and the request log', () => {
  const f = useBotFixture('all');
  const establishedCall = () => answeredCall(f);

  it('answers a missing or foreign token with 401 InvalidAuthenticationToken and echoes client-request-id', async () => {
    const none = await call(f.emulator, 'GET', `${CALLS}/x`, { headers: { 'client-request-id': 'crid-1' } });
    expect(none.status).toBe(401);
    expect(none.headers.get('client-request-id')).toBe('crid-1');
    const requestId = none.headers.get('request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(none.json).toMatchObject({
      error: { code: 'InvalidAuthenticationToken', innerError: { 'request-id': requestId, 'client-request-id': 'crid-1' } },
    });
    expect((none.json as { error: { innerError: { date: string } } }).error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT/);

    const [header, payload] = f.token.split('.');
    const forged = `${header}.${payload}.${Buffer.from('bad signature').toString('base64url')}`;
    expect((await call(f.emulator, 'GET', `${CALLS}/x`, { token: forged })).status).toBe(401);
  });

  it('answers an unknown call with 404 ItemNotFound', async () => {
    const res = await call(f.emulator, 'GET', `${CALLS}/2f0b3c4d-0000-4000-8000-000000000000`, { token: f.token });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ error: { code: 'ItemNotFound' } });
    expect((await call(f.emulator, 'POST', `${CALLS}/nope/playPrompt`, { token: f.token, body: { prompts: [prompt] } })).status).toBe(404);
  });

  it.each([
    ['answer without acceptedModalities', 'answer', { callbackUri: 'https://bot.example/cb', mediaConfig: SERVICE_HOSTED }, 'acceptedModalities'],
    ['answer without mediaConfig', 'answer', { callbackUri: 'https://bot.example/cb', acceptedModalities: ['audio'] }, 'mediaConfig'],
    ['answer with an http callback off this machine', 'answer', { callbackUri: 'http://bot.example/cb', acceptedModalities: ['audio'], mediaConfig: SERVICE_HOSTED }, 'callbackUri'],
    ['more than 20 prompts', 'playPrompt', { prompts: Array.from({ length: 21 }, () => prompt) }, 'prompts'],
    ['clientContext over 256 characters', 'playPrompt', { prompts: [prompt], clientContext: 'x'.repeat(257) }, 'clientContext'],
    ['an unknown DTMF tone', 'sendDtmfTones', { tones: ['tone12'] }, 'tones.0'],
  ])('refuses %s with 400 naming the field, changing nothing', async (_name, action, body, field) => {
    const callId = await establishedCall();
    const before = (await call(f.emulator, 'GET', `/emulator/calls/${callId}`)).json;
    const res = await call(f.emulator, 'POST', `${CALLS}/${callId}/${action}`, { token: f.token, body });
    expect(res.status).toBe(400);
    expect((res.json as { error: { code: string; message: string } }).error.message).toContain(`${field}:`);
    expect((await call(f.emulator, 'GET', `/emulator/calls/${callId}`)).json).toEqual(before);
  });

  it('refuses malformed JSON, a non-JSON content type and an oversize body', async () => {
    const callId = await establishedCall();
    const url = `${CALLS}/${callId}/playPrompt`;
    const malformed = await call(f.emulator, 'POST', url, { token: f.token, raw: '{"prompts":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ error: { code: 'BadRequest', message: expect.stringMatching(/Malformed JSON/) } });
    const text = await call(f.emulator, 'POST', url, { token: f.token, raw: 'prompts', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(400);
    const huge = await call(f.emulator, 'POST', url, { token: f.token, body: { prompts: [prompt], clientContext: 'x'.repeat(1024 * 1024) } });
    expect(huge.status).toBe(413);
    expect(huge.json).toMatchObject({ error: { code: 'RequestEntityTooLarge' } });
    expect(((await call(f.emulator, 'GET', `/emulator/calls/${callId}`)).json as { operations: unknown[] }).operations).toEqual([]);
  });

  it('refuses media actions on app-hosted calls and calls that are not established', async () => {
    // A blob as a media pod without a bridge writes it; nothing listens there, which this test does not need.
    const UNREACHABLE_POD_BLOB = JSON.stringify({ podName: 'media-0', streamTarget: '127.0.0.1:1', callId: 'c1', settings: { audioFormat: 1 } });
    const { callId } = (await call(f.emulator, 'POST', '/emulator/calls/incoming', { body: {} })).json as { callId: string };
    expect((await call(f.emulator, 'POST', `${CALLS}/${callId}/playPrompt`, { token: f.token, body: { prompts: [prompt] } })).status).toBe(409);
    await call(f.emulator, 'POST', `${CALLS}/${callId}/answer`, {
      token: f.token,
      body: { callbackUri: f.bot.url, acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: UNREACHABLE_POD_BLOB } },
    });
    await f.bot.waitFor('established', () => f.bot.forCall(callId).some((n) => n.resourceData.state === 'established'));
    const res = await call(f.emulator, 'POST', `${CALLS}/${callId}/playPrompt`, { token: f.token, body: { prompts: [prompt] } });
    expect(res.status).toBe(400);
    expect((res.json as { error: { message: string } }).error.message).toMatch(/serviceHostedMediaConfig/);
  });

  it('logs every Graph request without the Authorization header and pages it with since', async () => {
    const start = ((await call(f.emulator, 'GET', '/emulator/requests')).json as { next: number }).next;
    await call(f.emulator, 'GET', `${CALLS}/missing`, { token: f.token, headers: { 'client-request-id': 'log-me' } });
    const page = (await call(f.emulator, 'GET', `/emulator/requests?since=${start}`)).json as {
      items: { seq: number; method: string; path: string; status: number; clientRequestId: string }[];
      next: number;
    };
    expect(page.items).toEqual([
      expect.objectContaining({ method: 'GET', path: `${CALLS}/missing`, status: 404, clientRequestId: 'log-me' }),
    ]);
    expect(page.next).toBe(page.items[0]!.seq);
    expect(JSON.stringify(page)).not.toContain(f.token);
    expect((await call(f.emulator, 'GET', '/emulator/requests?since=-1')).status).toBe(400);
  });

  it('serves the CA, health and call list on the control API', async () => {
    expect((await call(f.emulator, 'GET', '/emulator/ca.pem')).text).toBe(f.emulator.caPem);
    expect((await call(f.emulator, 'GET', '/emulator/health')).json).toEqual({ status: 'ok' });
    expect(((await call(f.emulator, 'GET', '/emulator/calls')).json as { value: unknown[] }).value.length).toBeGreaterThan(0);
    expect((await call(f.emulator, 'GET', '/emulator/calls/unknown')).status).toBe(404);
    expect((await call(f.emulator, 'POST', '/emulator/calls/incoming', { raw: 'x', headers: { 'content-type': 'application/json' } })).status).toBe(400);
  });
});
