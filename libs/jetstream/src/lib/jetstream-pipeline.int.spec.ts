import { ensureStream, fileStream } from './ensure-stream';
import { JetStreamPipeline } from './jetstream-pipeline';
import { isRevisionMismatch } from './kv-revision';
import { jetStreamForSpecFile, removeStreams, testTopology, type TestTopology } from './test-streams.testing';

const server = jetStreamForSpecFile();
let t: TestTopology;
let pipeline: JetStreamPipeline;

beforeEach(async () => {
  t = testTopology();
  await ensureStream(server.jsm, fileStream(t.workStream, t.workSubjects, 60_000, 60_000));
  pipeline = new JetStreamPipeline(server.nc);
});
afterEach(async () => {
  pipeline.close();
  await removeStreams(server.jsm, t);
});

const stored = async (seq: number) => (await server.jsm.streams.getMessage(t.workStream, { seq })).string();

describe('JetStreamPipeline', () => {
  it('stores the publications of one turn in the order asked, each with its own ack', async () => {
    const acks = await Promise.all(['a', 'b', 'c'].map((text) => pipeline.publish(t.workSubject(text), text)));
    expect(acks.map((a) => [a.stream, a.seq, a.duplicate])).toEqual([
      [t.workStream, 1, false],
      [t.workStream, 2, false],
      [t.workStream, 3, false],
    ]);
    expect(await Promise.all([1, 2, 3].map(stored))).toEqual(['a', 'b', 'c']);
  });

  it('stores a repeated message id once and says the repeat was a duplicate', async () => {
    const first = await pipeline.publish(t.workSubject('x'), 'one', { msgID: 'id-1' });
    const again = await pipeline.publish(t.workSubject('x'), 'one', { msgID: 'id-1' });
    expect(again).toMatchObject({ seq: first.seq, duplicate: true });
    expect((await server.jsm.streams.info(t.workStream)).state.messages).toBe(1);
  });

  it('refuses a compare-and-set on an outdated subject sequence as a revision mismatch, and stores nothing', async () => {
    const created = await pipeline.publish(t.workSubject('k'), 'v1', { expectedLastSubjectSequence: 0 });
    const stale = pipeline.publish(t.workSubject('k'), 'v2', { expectedLastSubjectSequence: 0 });
    await expect(stale).rejects.toMatchObject({ api_error: { err_code: 10071 } });
    expect(isRevisionMismatch(await stale.catch((e: unknown) => e))).toBe(true);
    await expect(pipeline.publish(t.workSubject('k'), 'v2', { expectedLastSubjectSequence: created.seq })).resolves.toMatchObject({ seq: created.seq + 1 });
    expect((await server.jsm.streams.info(t.workStream)).state.messages).toBe(2);
  });

  it('fails a publication no stream takes, without failing the others of its turn', async () => {
    const [lost, kept] = await Promise.allSettled([pipeline.publish('nobody.listens.here', 'x'), pipeline.publish(t.workSubject('y'), 'y')]);
    expect(lost).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/no JetStream stream/) } });
    expect(kept).toMatchObject({ status: 'fulfilled', value: { seq: 1 } });
  });

  it('fails a publication whose ack does not come within the timeout', async () => {
    const silent = server.nc.subscribe(`${t.workSubjects.slice(0, -2)}-silent`); // takes the message, never answers
    const impatient = new JetStreamPipeline(server.nc, { timeoutMs: 200 });
    try {
      await expect(impatient.publish(silent.getSubject(), 'x')).rejects.toThrow(/no JetStream answer within 200 ms/);
    } finally {
      impatient.close();
      silent.unsubscribe();
    }
  });

  it('reads the last message on a subject by a direct get, and nothing for a subject never written', async () => {
    const bucket = `${t.consumer}_kv`;
    const kv = await server.nc.jetstream().views.kv(bucket, { history: 1 });
    try {
      expect(await pipeline.lastMessage(`KV_${bucket}`, `$KV.${bucket}.call-1`)).toBeUndefined();
      await kv.put('call-1', 'first');
      const revision = await kv.put('call-1', 'second');
      const last = await pipeline.lastMessage(`KV_${bucket}`, `$KV.${bucket}.call-1`);
      expect({ seq: last?.seq, text: new TextDecoder().decode(last?.data) }).toEqual({ seq: revision, text: 'second' });
    } finally {
      await kv.destroy();
    }
  });

  it('reads the first message a stream still holds on a subject, with the time it was stored', async () => {
    const bucket = `${t.consumer}_kv_first`;
    const kv = await server.nc.jetstream().views.kv(bucket, { history: 5 });
    try {
      expect(await pipeline.firstMessage(`KV_${bucket}`, `$KV.${bucket}.call-1`)).toBeUndefined();
      const before = Date.now();
      const revision = await kv.put('call-1', 'first');
      await kv.put('call-2', 'other');
      await kv.put('call-1', 'second');
      const first = await pipeline.firstMessage(`KV_${bucket}`, `$KV.${bucket}.call-1`);
      expect({ seq: first?.seq, text: new TextDecoder().decode(first?.data) }).toEqual({ seq: revision, text: 'first' });
      expect(first?.storedAtMs).toBeGreaterThanOrEqual(before - 1000);
      expect(first?.storedAtMs).toBeLessThanOrEqual(Date.now() + 1000);
    } finally {
      await kv.destroy();
    }
  });

  it('refuses to publish once closed', async () => {
    pipeline.close();
    await expect(pipeline.publish(t.workSubject('z'), 'z')).rejects.toThrow(/closed/);
    expect((await server.jsm.streams.info(t.workStream)).state.messages).toBe(0);
  });
});
