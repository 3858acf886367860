import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { z } from 'zod';
import { ensureNats, type NatsEndpoint } from '@switchboard/dev-infra';
import type { LogFn } from './log';
import { Responder } from './responder';

let nats: NatsEndpoint;
let nc: NatsConnection;
beforeAll(async () => {
  nats = await ensureNats();
  nc = await connect({ servers: nats.url });
});
afterAll(async () => {
  await nc?.drain();
  await nats?.stop();
});

const greetSchema = z.object({ name: z.string().min(1) });
const logs: Array<{ level: string; msg: string }> = [];
const log: LogFn = (level, msg) => logs.push({ level, msg });

describe('Responder (real nats-server)', () => {
  const namespace = `rs-${randomBytes(4).toString('hex')}`;
  const subject = `${namespace}.greetings.v1.greet`;
  const handled: string[] = [];
  const responders: Array<Responder<typeof greetSchema, unknown>> = [];

  beforeAll(() => {
    const responder = new Responder(nc, {
      subject,
      queue: 'greeter',
      schema: greetSchema,
      log,
      handle: async ({ name }) => {
        if (name === 'crash') throw new Error('handler broke');
        handled.push(name);
        return { ok: true, greeting: `hello ${name}` };
      },
    });
    responder.start();
    responders.push(responder);
  });
  afterAll(() => Promise.all(responders.map((r) => r.stop())));

  const ask = async (s: string, body: string) => JSON.parse((await nc.request(s, new TextEncoder().encode(body), { timeout: 2000 })).string());

  it('answers a valid request on the namespaced subject', async () => {
    expect(await ask(subject, JSON.stringify({ name: 'ada' }))).toEqual({ ok: true, greeting: 'hello ada' });
  });

  it('answers bad JSON and a schema failure with a clear error, carrying out nothing', async () => {
    const before = handled.length;
    expect(await ask(subject, '{not json')).toEqual({ ok: false, error: 'not-json', message: 'invalid payload: not JSON' });
    expect(await ask(subject, JSON.stringify({ name: 42 }))).toEqual({
      ok: false,
      error: 'invalid',
      message: expect.stringMatching(/^invalid payload: name: /),
    });
    expect(handled).toHaveLength(before);
  });

  it('answers a handler failure and keeps serving', async () => {
    expect(await ask(subject, JSON.stringify({ name: 'crash' }))).toEqual({
      ok: false,
      error: 'failed',
      message: 'the request could not be carried out; see the service log',
    });
    expect(logs).toContainEqual({ level: 'error', msg: 'request failed' });
    expect(await ask(subject, JSON.stringify({ name: 'grace' }))).toEqual({ ok: true, greeting: 'hello grace' });
  });

  it('serves only its own namespace', async () => {
    await expect(ask('greetings.v1.greet', JSON.stringify({ name: 'ada' }))).rejects.toThrow(/503|no responders/i);
  });

  it('lets the service shape its refusals', async () => {
    const own = new Responder(nc, {
      subject: `${namespace}.greetings.v1.strict`,
      queue: 'greeter',
      schema: greetSchema,
      log,
      handle: async () => ({ ok: true }),
      refuse: (problem) => ({ ok: false, status: 400, message: problem.message }),
    });
    own.start();
    responders.push(own);
    expect(await ask(`${namespace}.greetings.v1.strict`, '[]')).toEqual({ ok: false, status: 400, message: expect.stringMatching(/^invalid payload: \(payload\): /) });
  });
});
