import { nanos } from 'nats';
import { JsErrorCode, jetStreamErrorCode } from './api-errors';
import { ensureDurableConsumer } from './ensure-consumer';
import { ensureStream, fileStream } from './ensure-stream';
import { jetStreamForSpecFile, removeStreams, testTopology } from './test-streams.testing';

const server = jetStreamForSpecFile();

describe('ensureStream / ensureDurableConsumer (real nats-server)', () => {
  const t = testTopology();
  afterAll(() => removeStreams(server.jsm, t));

  it('reads "not found" from the JetStream API error code', async () => {
    const missingStream = await server.jsm.streams.info(t.workStream).catch((e: unknown) => e);
    expect(jetStreamErrorCode(missingStream)).toBe(JsErrorCode.StreamNotFound);
    expect(jetStreamErrorCode(new Error('stream not found'))).toBeUndefined();
  });

  it('creates a stream, then updates it in place', async () => {
    expect(await ensureStream(server.jsm, fileStream(t.workStream, t.workSubjects, 60_000))).toBe('created');
    expect(await ensureStream(server.jsm, fileStream(t.workStream, t.workSubjects, 120_000, 30_000))).toBe('updated');
    const info = await server.jsm.streams.info(t.workStream);
    expect(info.config.max_age).toBe(nanos(120_000));
    expect(info.config.duplicate_window).toBe(nanos(30_000));
  });

  it('creates a durable consumer, then updates its settings in place', async () => {
    const definition = { stream: t.workStream, name: t.consumer, filterSubject: t.workSubjects, ackWaitMs: 5000, maxAckPending: 10 };
    expect(await ensureDurableConsumer(server.jsm, { ...definition, maxDeliver: 10 })).toBe('created');
    // A consumer made with a server-side delivery limit hands it over to the worker.
    expect(await ensureDurableConsumer(server.jsm, { ...definition, ackWaitMs: 9000, maxAckPending: 1 })).toBe('updated');
    const info = await server.jsm.consumers.info(t.workStream, t.consumer);
    expect(info.config).toMatchObject({ ack_wait: nanos(9000), max_ack_pending: 1, max_deliver: -1, filter_subject: t.workSubjects });
  });

  it('does not take a missing stream for a missing consumer', async () => {
    const onMissingStream = ensureDurableConsumer(server.jsm, { stream: `${t.workStream}_NONE`, name: 'x', filterSubject: 'none.>', ackWaitMs: 1000, maxAckPending: 1 });
    const error = await onMissingStream.catch((e: unknown) => e);
    expect(jetStreamErrorCode(error)).toBe(JsErrorCode.StreamNotFound);
  });
});
