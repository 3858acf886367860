import { CLOCK_SLACK_MS, SERVICE_HOSTED, call, mediaPrompt, ringBot, useBotFixture } from '../test/harness';

interface LogEntry {
  method: string;
  path: string;
  status: number;
  callId: string | null;
  faulted: boolean;
  body: unknown;
}

describe('faults on demand and the request log', () => {
  const f = useBotFixture('all');
  const control = (method: string, path: string, body?: unknown) => call(f.emulator, method, path, { body });
  const answer = (callId: string) => f.graph('POST', `/${callId}/answer`, { callbackUri: f.bot.url, acceptedModalities: ['audio'], mediaConfig: SERVICE_HOSTED });
  const log = async (query = '') => ((await control('GET', `/emulator/requests?since=0${query}`)).json as { items: LogEntry[] }).items;

  afterEach(() => control('DELETE', '/emulator/faults'));

  it('fails the next n matching requests with the status, Retry-After and the Graph error shape, changing nothing', async () => {
    const set = await control('POST', '/emulator/faults', { path: '/answer', status: 503, count: 2, retryAfterSeconds: 3 });
    expect(set.status).toBe(201);
    const callId = await ringBot(f);
    for (let i = 0; i < 2; i++) {
      const res = await answer(callId);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('3');
      expect(res.json).toMatchObject({ error: { code: 'ServiceUnavailable', innerError: { 'request-id': expect.any(String) } } });
      expect(((await f.graph('GET', `/${callId}`)).json as { state: string }).state).toBe('incoming');
    }
    expect((await answer(callId)).status).toBe(202);
    const answers = (await log(`&callId=${callId}`)).filter((e) => e.path.endsWith('/answer'));
    expect(answers.map((e) => [e.status, e.faulted])).toEqual([[503, true], [503, true], [202, false]]);
  });

  it('holds a faulted request for delayMs before failing it', async () => {
    await control('POST', '/emulator/faults', { path: '/answer', status: 503, delayMs: 300 });
    const callId = await ringBot(f);
    const started = Date.now();
    expect((await answer(callId)).status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300 - CLOCK_SLACK_MS);
    expect(((await f.graph('GET', `/${callId}`)).json as { state: string }).state).toBe('incoming');
  });

  it('matches on method, leaves other paths alone, and DELETE /emulator/faults disarms everything', async () => {
    await control('POST', '/emulator/faults', { path: '/playPrompt', method: 'POST', status: 429, count: 5 });
    await control('POST', '/emulator/faults', { path: '/keepAlive', status: 500 });
    expect(((await control('GET', '/emulator/faults')).json as { value: unknown[] }).value).toHaveLength(2);
    const callId = await ringBot(f);
    expect((await answer(callId)).status).toBe(202);
    await f.bot.waitFor('established', () => f.bot.forCall(callId).some((n) => n.resourceData.state === 'established'));
    const limited = await f.graph('POST', `/${callId}/playPrompt`, { prompts: [mediaPrompt('a')] });
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ error: { code: 'TooManyRequests' } });
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(((await control('DELETE', '/emulator/faults')).json as { cleared: number }).cleared).toBe(2);
    expect((await f.graph('POST', `/${callId}/playPrompt`, { prompts: [mediaPrompt('a')] })).status).toBe(200);
    expect((await f.graph('POST', `/${callId}/keepAlive`)).status).toBe(200);
  });

  it('refuses a malformed fault with 400 and arms nothing', async () => {
    for (const body of [{ path: 'answer', status: 503 }, { path: '/answer', status: 302 }, { path: '/answer', status: 503, count: 0 }, { status: 503 }]) {
      expect((await control('POST', '/emulator/faults', body)).status).toBe(400);
    }
    expect(((await control('GET', '/emulator/faults')).json as { value: unknown[] }).value).toEqual([]);
  });

  it('lists every Graph request with body and status, filtered by ?callId= (a create counts for the call it made)', async () => {
    const created = await f.graph('POST', '', {
      callbackUri: f.bot.url,
      targets: [{ identity: { user: { id: 'log-user' } } }],
      requestedModalities: ['audio'],
      mediaConfig: SERVICE_HOSTED,
    });
    const id = (created.json as { id: string }).id;
    await f.graph('GET', `/${id}`);
    const other = await ringBot(f);
    await answer(other);
    const mine = await log(`&callId=${id}`);
    expect(mine.map((e) => [e.method, e.status])).toEqual([['POST', 201], ['GET', 200]]);
    expect(mine[0]!.body).toMatchObject({ targets: [{ identity: { user: { id: 'log-user' } } }] });
    expect((await log(`&callId=${other}`)).every((e) => e.callId === other)).toBe(true);
    // The cursor moves past other calls' requests too, so a filtered reader never rereads them.
    const all = (await control('GET', '/emulator/requests?since=0')).json as { next: number };
    const page = (await control('GET', `/emulator/requests?since=0&callId=${id}`)).json as { next: number };
    expect(page.next).toBe(all.next);
    expect((await control('GET', '/emulator/requests?since=-1')).status).toBe(400);
  });
});
