import { randomBytes } from 'node:crypto';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { ensureNats, type NatsEndpoint } from '@switchboard/dev-infra';
import { ensureDurableConsumer } from './ensure-consumer';
import { ensureStream, fileStream } from './ensure-stream';

/** Unique names for one test's work stream, consumer and dead-letter stream, so runs sharing a server never meet. */
export function testTopology() {
  const id = randomBytes(4).toString('hex');
  return {
    workStream: `JSW_${id}_WORK`,
    workSubjects: `jsw-${id}.work.>`,
    workSubject: (token: string) => `jsw-${id}.work.${token}`,
    consumer: `jsw_${id}_worker`,
    deadLetterStream: `JSW_${id}_DLQ`,
    deadLetterSubject: `jsw-${id}.dead-letter`,
  };
}
export type TestTopology = ReturnType<typeof testTopology>;

export async function createWorkStream(jsm: JetStreamManager, t: TestTopology, options: { ackWaitMs?: number; maxAckPending?: number } = {}) {
  await ensureStream(jsm, fileStream(t.workStream, t.workSubjects, 60_000, 60_000));
  await ensureDurableConsumer(jsm, {
    stream: t.workStream,
    name: t.consumer,
    filterSubject: t.workSubjects,
    ackWaitMs: options.ackWaitMs ?? 10_000,
    maxAckPending: options.maxAckPending ?? 100,
  });
}

export const createDeadLetterStream = (jsm: JetStreamManager, t: TestTopology) =>
  ensureStream(jsm, fileStream(t.deadLetterStream, t.deadLetterSubject, 60_000, 60_000));

export async function removeStreams(jsm: JetStreamManager, t: TestTopology): Promise<void> {
  for (const name of [t.workStream, t.deadLetterStream]) await jsm.streams.delete(name).catch(() => undefined);
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A NATS server (or the one at NATS_URL) and a connection for the tests of one spec file. */
export function jetStreamForSpecFile(): { readonly nc: NatsConnection; readonly jsm: JetStreamManager } {
  let nats: NatsEndpoint | undefined;
  let nc: NatsConnection | undefined;
  let jsm: JetStreamManager | undefined;
  beforeAll(async () => {
    nats = await ensureNats();
    nc = await connect({ servers: nats.url });
    jsm = await nc.jetstreamManager();
  });
  afterAll(async () => {
    await nc?.drain();
    await nats?.stop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('jetStreamForSpecFile: used before its beforeAll ran');
    return value;
  };
  return {
    get nc() {
      return ready(nc);
    },
    get jsm() {
      return ready(jsm);
    },
  };
}
