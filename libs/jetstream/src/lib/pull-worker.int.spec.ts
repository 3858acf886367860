import { connect, type JetStreamManager, type JsMsg, type NatsConnection } from 'nats';
import { ensureNats, type NatsEndpoint } from '@switchboard/dev-infra';
import { DeadLetterHeaders } from './dead-letter';
import type { LogFn } from './log';
import { PullWorker, type PullWorkerOptions, type WorkerOutcome } from './pull-worker';
import type { Decision } from './settlement';
import { createDeadLetterStream, createWorkStream, eventually, removeStreams, testTopology, type TestTopology } from './test-streams.testing';

let nats: NatsEndpoint;
let nc: NatsConnection;
let jsm: JetStreamManager;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  nats = await ensureNats();
  nc = await connect({ servers: nats.url });
  jsm = await nc.jetstreamManager();
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await nc?.drain();
  await nats?.stop();
});

let t: TestTopology;
const workers: PullWorker<unknown>[] = [];
beforeEach(() => {
  t = testTopology();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await removeStreams(jsm, t);
  expect(unhandled).toEqual([]);
});

interface Run {
  worker: PullWorker<string>;
  outcomes: WorkerOutcome[];
  logs: Array<{ level: string; msg: string; fields: Record<string, unknown> }>;
}

async function startWorker(handle: (value: string, msg: JsMsg) => Promise<Decision>, options: Partial<PullWorkerOptions<string>> = {}): Promise<Run> {
  const outcomes: WorkerOutcome[] = [];
  const logs: Run['logs'] = [];
  const log: LogFn = (level, msg, fields) => logs.push({ level, msg, fields });
  const worker = new PullWorker<string>(nc.jetstream(), {
    stream: t.workStream,
    consumer: t.consumer,
    decode: (msg) => {
      const text = msg.string();
      if (text.startsWith('bad')) throw new Error('not a work item');
      return text;
    },
    handle,
    maxDeliver: 3,
    concurrency: 1,
    backoff: { baseMs: 50, maxMs: 200 },
    deadLetter: { subject: t.deadLetterSubject, attempts: 2, retryDelayMs: 10 },
    log,
    observer: { settled: (stream, outcome) => stream === t.workStream && outcomes.push(outcome) },
    ...options,
  });
  await worker.start();
  workers.push(worker as PullWorker<unknown>);
  return { worker, outcomes, logs };
}

const publish = (token: string, body: string) => nc.jetstream().publish(t.workSubject(token), new TextEncoder().encode(body));
const consumerState = () => jsm.consumers.info(t.workStream, t.consumer);
const deadLetters = async () => (await jsm.streams.info(t.deadLetterStream)).state.messages;
const settledAll = async (count: number) => {
  const info = await consumerState();
  return info.ack_floor.stream_seq >= count && info.num_ack_pending === 0 && info.num_pending === 0;
};

/** Both streams, and a worker that records each value it handles and acks it. */
async function startRecordingWorker() {
  await createWorkStream(jsm, t);
  await createDeadLetterStream(jsm, t);
  const seen: string[] = [];
  const run = await startWorker(async (value) => {
    seen.push(value);
    return { kind: 'done' };
  });
  return { seen, run };
}

describe('PullWorker (real nats-server)', () => {
  it('acks what the handler did', async () => {
    const { seen, run } = await startRecordingWorker();
    for (const n of [1, 2, 3]) await publish(`c${n}`, `item-${n}`);
    await eventually(() => settledAll(3), 10_000, 'three acks');
    expect(seen).toEqual(['item-1', 'item-2', 'item-3']);
    expect(run.outcomes).toEqual(['acked', 'acked', 'acked']);
    expect(await deadLetters()).toBe(0);
  });

  it('naks a transient failure with backoff and handles the redelivery', async () => {
    await createWorkStream(jsm, t);
    await createDeadLetterStream(jsm, t);
    const at: number[] = [];
    const run = await startWorker(async (_value, msg) => {
      at.push(Date.now());
      return msg.info.redeliveryCount === 1 ? { kind: 'retry', reason: 'graph 503' } : { kind: 'done' };
    });
    await publish('c1', 'item');
    await eventually(() => settledAll(1), 10_000, 'the ack after one retry');
    expect(run.outcomes).toEqual(['retried', 'acked']);
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(45); // the first backoff step is 50 ms
    expect(run.logs).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'jetstream message will be redelivered' }));
  });

  it('holds a message that is not due without counting it as a failure', async () => {
    await createWorkStream(jsm, t);
    await createDeadLetterStream(jsm, t);
    const at: number[] = [];
    const run = await startWorker(async (_value, msg) => {
      at.push(Date.now());
      return msg.info.redeliveryCount <= 4 ? { kind: 'hold', delayMs: 60 } : { kind: 'done' };
    }, { maxDeliver: 10 });
    await publish('c1', 'timer');
    await eventually(() => settledAll(1), 10_000, 'the ack once due');
    expect(run.outcomes).toEqual(['held', 'held', 'held', 'held', 'acked']);
    expect(at[4] - at[0]).toBeGreaterThanOrEqual(4 * 55);
    expect(await deadLetters()).toBe(0);
  });

  it('dead-letters after the last delivery and survives a handler that throws', async () => {
    await createWorkStream(jsm, t);
    await createDeadLetterStream(jsm, t);
    let calls = 0;
    const run = await startWorker(async (value) => {
      if (value === 'poison') {
        calls++;
        throw new Error('boom');
      }
      return { kind: 'done' };
    });
    await publish('c1', 'poison');
    await publish('c2', 'fine');
    await eventually(() => settledAll(2), 10_000, 'both messages settled');
    expect(calls).toBe(3);
    expect(run.outcomes.filter((o) => o === 'retried')).toHaveLength(2);
    expect(run.outcomes).toContain('dead-lettered');
    expect(run.outcomes).toContain('acked');
    const stored = await jsm.streams.getMessage(t.deadLetterStream, { seq: 1 });
    expect(stored.string()).toBe('poison');
    expect(stored.header.get(DeadLetterHeaders.reason)).toBe('failed on delivery 3 of 3: boom');
    expect(stored.header.get(DeadLetterHeaders.subject)).toBe(t.workSubject('c1'));
    expect(stored.header.get(DeadLetterHeaders.stream)).toBe(t.workStream);
  });

  // A header value is one line: a reason spanning lines (a ZodError's message) is folded into one.
  it.each([
    ['uninterpretable: no call id', 'uninterpretable: no call id'],
    ['invalid: [\n  {\n    "path": ["digit"]\n  }\n]', 'invalid: [ { "path": ["digit"] } ]'],
  ])('dead-letters on the handler’s word (%j), then acks', async (reason, stored) => {
    await createWorkStream(jsm, t);
    await createDeadLetterStream(jsm, t);
    const run = await startWorker(async () => ({ kind: 'dead-letter', reason }));
    await publish('c1', 'odd');
    await eventually(() => settledAll(1), 10_000, 'the ack');
    expect(run.outcomes).toEqual(['dead-lettered']);
    expect((await jsm.streams.getMessage(t.deadLetterStream, { seq: 1 })).header.get(DeadLetterHeaders.reason)).toBe(stored);
  });

  it('dead-letters and terms what cannot be decoded, without calling the handler', async () => {
    const { seen, run } = await startRecordingWorker();
    await publish('c1', 'bad bytes');
    await publish('c2', 'good');
    await eventually(async () => (await consumerState()).num_ack_pending === 0 && run.outcomes.length === 2, 10_000, 'both settled');
    expect(seen).toEqual(['good']);
    expect(run.outcomes).toEqual(['terminated', 'acked']);
    const stored = await jsm.streams.getMessage(t.deadLetterStream, { seq: 1 });
    expect(stored.header.get(DeadLetterHeaders.reason)).toBe('undecodable: not a work item');
  });

  it('handles at most `concurrency` messages at once', async () => {
    await createWorkStream(jsm, t);
    await createDeadLetterStream(jsm, t);
    let now = 0;
    let peak = 0;
    await startWorker(
      async () => {
        peak = Math.max(peak, ++now);
        await new Promise((resolve) => setTimeout(resolve, 40));
        now--;
        return { kind: 'done' };
      },
      { concurrency: 3 },
    );
    for (let n = 0; n < 12; n++) await publish(`c${n}`, `item-${n}`);
    await eventually(() => settledAll(12), 15_000, 'twelve acks');
    expect(peak).toBe(3);
  });

  it('lets the messages in flight finish when stopped', async () => {
    await createWorkStream(jsm, t);
    await createDeadLetterStream(jsm, t);
    let started!: () => void;
    const handling = new Promise<void>((resolve) => (started = resolve));
    const run = await startWorker(async () => {
      started();
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { kind: 'done' };
    });
    await publish('c1', 'slow');
    await handling;
    await run.worker.stop();
    expect(run.outcomes).toEqual(['acked']);
    await eventually(() => settledAll(1), 5000, 'the ack');
  });

  describe('when the dead-letter cannot be stored', () => {
    it('keeps the message (nak, never ack), stays up, and stores it once the dead-letter stream exists', async () => {
      await createWorkStream(jsm, t); // no dead-letter stream: every dead-letter publish fails
      const run = await startWorker(async (value) => (value === 'poison' ? { kind: 'retry', reason: 'boom' } : { kind: 'done' }), { maxDeliver: 2 });
      await publish('c1', 'poison');
      await eventually(() => run.outcomes.filter((o) => o === 'dead-letter-failed').length >= 3 || undefined, 10_000, 'repeated dead-letter failures');

      // Nothing was acked away: the poison message is still the consumer's, unacknowledged.
      const stuck = await consumerState();
      expect(stuck.ack_floor.stream_seq).toBe(0);
      expect(stuck.num_ack_pending + stuck.num_pending).toBe(1);
      expect(run.outcomes).not.toContain('acked');
      expect(run.logs).toContainEqual(
        expect.objectContaining({ level: 'error', msg: 'dead-letter not stored; the message is kept and will be redelivered' }),
      );

      // The worker still serves the stream.
      await publish('c2', 'fine');
      await eventually(() => run.outcomes.includes('acked'), 10_000, 'a later message handled');

      await createDeadLetterStream(jsm, t);
      await eventually(() => settledAll(2), 10_000, 'the poison message dead-lettered and acked');
      expect(await deadLetters()).toBe(1);
      const stored = await jsm.streams.getMessage(t.deadLetterStream, { seq: 1 });
      expect(stored.string()).toBe('poison');
      expect(stored.header.get(DeadLetterHeaders.reason)).toMatch(/^not settled after \d+ deliveries \(limit 2\)$/);
      expect(run.outcomes.at(-1)).toBe('dead-lettered');
    });

    it('does not term an undecodable message while its dead-letter fails', async () => {
      await createWorkStream(jsm, t);
      const run = await startWorker(async () => ({ kind: 'done' }));
      await publish('c1', 'bad bytes');
      await eventually(() => run.outcomes.filter((o) => o === 'dead-letter-failed').length >= 2 || undefined, 10_000, 'dead-letter failures');
      expect(run.outcomes).not.toContain('terminated');
      await createDeadLetterStream(jsm, t);
      await eventually(() => run.outcomes.includes('terminated'), 10_000, 'the term after the dead-letter');
      expect(await deadLetters()).toBe(1);
    });
  });
});
