import { useGraphTestBed } from '../../test/graph-test-client';
import type { FakeReply } from '../../test/fake-graph-server';
import { GraphError, GraphNetworkError, GraphRequestError, GraphResponseError, GraphTimeoutError } from './errors';
import type { GraphRequestMetric } from './http';

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const call = { id: 'call-1', state: 'established' };

describe('Graph HTTP core', () => {
  const bed = useGraphTestBed();

  const sequence = (...replies: FakeReply[]) => {
    let i = 0;
    bed().server.graph = () => replies[Math.min(i++, replies.length - 1)];
  };

  it('sends the bearer token, a v4 client-request-id and JSON, and reads JSON back', async () => {
    sequence({ status: 200, body: call, headers: { 'request-id': 'r-1' } });
    await expect(bed().client().calls.getCall('call-1')).resolves.toMatchObject(call);
    const [req] = bed().server.graphRequests();
    expect(req.method).toBe('GET');
    expect(req.url).toBe('/v1.0/communications/calls/call-1');
    expect(req.headers.authorization).toBe('Bearer token-1');
    expect(req.headers['client-request-id']).toMatch(uuidV4);
    expect(req.headers.accept).toBe('application/json');
  });

  it('uses a fresh client-request-id per logical request', async () => {
    sequence({ status: 200, body: call });
    const client = bed().client();
    await client.calls.getCall('a');
    await client.calls.getCall('b');
    const [a, b] = bed().server.graphRequests().map((r) => r.headers['client-request-id']);
    expect(a).not.toBe(b);
  });

  it('retries a 429 after Retry-After seconds with the same client-request-id', async () => {
    sequence({ status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } }, { status: 200, body: call });
    const started = Date.now();
    await expect(bed().client({ retry: { baseDelayMs: 1 } }).calls.getCall('call-1')).resolves.toMatchObject(call);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    const ids = bed().server.graphRequests().map((r) => r.headers['client-request-id']);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
  });

  it('retries 503 up to the bound, then throws GraphError and reports the attempts', async () => {
    sequence({ status: 503, body: { error: { code: 'ServiceUnavailable', message: 'try later' } } });
    const metrics: GraphRequestMetric[] = [];
    const client = bed().client({ retry: { maxRetries: 2, baseDelayMs: 1 }, onRequest: (m) => metrics.push(m) });
    const error = await client.calls.getCall('call-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ status: 503, code: 'ServiceUnavailable' });
    expect(bed().server.graphRequests()).toHaveLength(3);
    expect(metrics).toEqual([
      expect.objectContaining({ method: 'GET', route: '/communications/calls/{callId}', status: 503, outcome: 'graph_error', attempts: 3 }),
    ]);
  });

  it('honours Retry-After as an HTTP date on 504 and caps a long one at maxDelayMs', async () => {
    sequence({ status: 504, headers: { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() } }, { status: 200, body: call });
    const started = Date.now();
    await bed().client({ retry: { maxDelayMs: 50 } }).calls.getCall('call-1');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(bed().server.graphRequests()).toHaveLength(2);
  });

  it('turns a Graph 404 into GraphError with code, message and ids, without retrying', async () => {
    sequence({
      status: 404,
      headers: { 'request-id': 'req-404' },
      body: { error: { code: 'itemNotFound', message: 'Call not found', innerError: { 'request-id': 'inner-id' } } },
    });
    const error = (await bed().client().calls.getCall('gone').catch((e: unknown) => e)) as GraphError;
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ status: 404, code: 'itemNotFound', graphMessage: 'Call not found', requestId: 'req-404', method: 'GET', path: '/communications/calls/gone' });
    expect(error.clientRequestId).toBe(bed().server.graphRequests()[0].headers['client-request-id']);
    expect(error.message).toBe(`GET /communications/calls/gone failed with 404 itemNotFound: Call not found (request-id req-404, client-request-id ${error.clientRequestId})`);
    expect(bed().server.graphRequests()).toHaveLength(1);
  });

  it('never retries other 4xx and reads request-id from innerError when the header is missing', async () => {
    sequence({ status: 400, body: { error: { code: 'BadRequest', message: 'nope', innerError: { 'request-id': 'inner-id' } } } });
    await expect(bed().client().calls.getCall('x')).rejects.toMatchObject({ status: 400, requestId: 'inner-id' });
    expect(bed().server.graphRequests()).toHaveLength(1);
  });

  it('keeps the status when an error body is not JSON', async () => {
    sequence({ status: 500, body: undefined });
    await expect(bed().client().calls.getCall('x')).rejects.toMatchObject({ status: 500, code: 'unknown', graphMessage: 'HTTP 500' });
  });

  it('times out with GraphTimeoutError and does not retry an outcome it cannot know', async () => {
    sequence({ status: 200, body: call, delayMs: 500 });
    const metrics: GraphRequestMetric[] = [];
    const error = await bed().client({ timeoutMs: 100, onRequest: (m) => metrics.push(m) }).calls.getCall('slow').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphTimeoutError);
    expect((error as Error).message).toMatch(/^GET \/communications\/calls\/slow timed out after 100 ms/);
    expect(bed().server.graphRequests()).toHaveLength(1);
    expect(metrics[0]).toMatchObject({ outcome: 'timeout', status: undefined });
  });

  it('retries a reset connection with the same client-request-id', async () => {
    sequence('reset', { status: 200, body: call });
    await expect(bed().client().calls.getCall('call-1')).resolves.toMatchObject(call);
    const ids = bed().server.graphRequests().map((r) => r.headers['client-request-id']);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
  });

  it('gives up on connection failures after the bound with GraphNetworkError', async () => {
    sequence('reset');
    const error = await bed().client({ retry: { maxRetries: 1 } }).calls.getCall('call-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphNetworkError);
    expect(bed().server.graphRequests()).toHaveLength(2);
  });

  it('rejects a 2xx body that is not JSON or not the expected shape', async () => {
    sequence({ status: 200, body: { id: 'c', state: 'no-such-state' } });
    await expect(bed().client().calls.getCall('c')).rejects.toThrow(GraphResponseError);
    await expect(bed().client().calls.getCall('c')).rejects.toThrow(/state/);
  });

  it('refuses an empty id before sending anything', async () => {
    await expect(bed().client().calls.getCall('')).rejects.toThrow(GraphRequestError);
    await expect(bed().client().calls.getCall(' ')).rejects.toThrow(/callId must be a non-empty string/);
    expect(bed().server.requests).toEqual([]);
  });

  it('a throwing metrics hook does not fail the request', async () => {
    sequence({ status: 200, body: call });
    const client = bed().client({ onRequest: () => { throw new Error('hook broke'); } });
    await expect(client.calls.getCall('call-1')).resolves.toMatchObject(call);
  });
});
