import { createServer } from 'node:net';
import type { CallEvent } from '@switchboard/nats-contracts';
import { verifySwitchboardSignature } from './readme-verifier.testing';
import { WebhookReceiver } from './webhook-receiver.testing';
import { classifyStatus, WebhookSender } from './webhook-sender';

const secret = 'whsec-0123456789abcdef';
const event: CallEvent = {
  eventId: 'ev-1',
  callId: 'call-1',
  tenantId: 't1',
  occurredAt: '2026-01-01T00:00:00.000Z',
  type: 'tone',
  tone: 'tone1',
  digit: '1',
  sequenceId: 1,
};

describe('classifyStatus', () => {
  it.each([
    [200, 'delivered'],
    [204, 'delivered'],
    [400, 'permanent'],
    [401, 'permanent'],
    [404, 'permanent'],
    [410, 'permanent'],
    [301, 'permanent'],
    [408, 'transient'],
    [429, 'transient'],
    [500, 'transient'],
    [503, 'transient'],
  ])('HTTP %i is %s', (status, kind) => {
    expect(classifyStatus(status).kind).toBe(kind);
  });

  it('keeps Retry-After of a retryable answer', () => {
    expect(classifyStatus(429, '3')).toEqual({ kind: 'transient', status: 429, error: 'HTTP 429', retryAfter: '3' });
  });
});

describe('WebhookSender', () => {
  const receiver = new WebhookReceiver();
  const sender = new WebhookSender(300);
  beforeAll(() => receiver.start());
  afterAll(async () => {
    await sender.close();
    await receiver.stop();
  });

  it('POSTs the event with the documented headers and a signature the README verifier accepts', async () => {
    const first = await sender.send(receiver.url('/a'), secret, event);
    const second = await sender.send(receiver.url('/a'), secret, event);
    expect(first.result).toEqual({ kind: 'delivered', status: 200 });
    const [r1, r2] = receiver.for('/a');
    expect(r1.headers['content-type']).toBe('application/json');
    expect(r1.headers['switchboard-event']).toBe('tone');
    expect(r1.headers['switchboard-delivery']).toBe(first.deliveryId);
    expect(r2.headers['switchboard-delivery']).toBe(second.deliveryId);
    expect(first.deliveryId).not.toBe(second.deliveryId);
    expect(r1.body).toEqual({ id: 'ev-1', type: 'tone', occurredAt: event.occurredAt, data: event });
    const signature = String(r1.headers['switchboard-signature']);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySwitchboardSignature(signature, r1.rawBody, secret)).toBe(true);
    expect(verifySwitchboardSignature(signature, r1.rawBody, 'another-secret-of-length')).toBe(false);
    expect(verifySwitchboardSignature(signature, r1.rawBody.replace('"1"', '"2"'), secret)).toBe(false);
  });

  it('signs the timestamp, so an old signature is refused by the tolerance check', async () => {
    const old = new WebhookSender(300, () => Date.now() - 3600_000);
    try {
      await old.send(receiver.url('/old'), secret, event);
    } finally {
      await old.close();
    }
    const [r] = receiver.for('/old');
    expect(verifySwitchboardSignature(String(r.headers['switchboard-signature']), r.rawBody, secret)).toBe(false);
    expect(verifySwitchboardSignature(String(r.headers['switchboard-signature']), r.rawBody, secret, 7200)).toBe(true);
  });

  it('reports a 5xx with Retry-After, a 4xx as permanent, and a slow receiver as a timeout', async () => {
    receiver.script = (path) =>
      path === '/busy' ? { status: 503, headers: { 'retry-after': '7' } } : path === '/bad' ? { status: 422 } : { status: 200, delayMs: 1000 };
    expect((await sender.send(receiver.url('/busy'), secret, event)).result).toEqual({ kind: 'transient', status: 503, error: 'HTTP 503', retryAfter: '7' });
    expect((await sender.send(receiver.url('/bad'), secret, event)).result).toEqual({ kind: 'permanent', status: 422, error: 'HTTP 422 (not retried)' });
    const slow = await sender.send(receiver.url('/slow'), secret, event);
    expect(slow.result).toEqual({ kind: 'transient', error: 'timed out after 300 ms' });
  });

  it('reports a refused connection as a transient network error', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    expect((await sender.send(`http://127.0.0.1:${port}/`, secret, event)).result).toEqual({ kind: 'transient', error: 'network error ECONNREFUSED' });
  });
});
