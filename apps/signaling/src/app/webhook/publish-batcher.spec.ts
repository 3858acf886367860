import type { JetStreamClient, PubAck } from 'nats';
import { PublishBatcher } from './publish-batcher';

/** A JetStream client that records when each publication is handed to it and answers as told. */
function fakeJetStream(answer: (subject: string) => Promise<PubAck>) {
  const sent: string[] = [];
  const js = { publish: (subject: string) => (sent.push(subject), answer(subject)) } as unknown as JetStreamClient;
  return { js, sent };
}

const ack = (seq: number): PubAck => ({ stream: 'S', seq, duplicate: false, domain: '' });
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('PublishBatcher', () => {
  it('hands the publications of one turn to JetStream together in the next check phase, each with its own ack', async () => {
    let seq = 0;
    const { js, sent } = fakeJetStream(async () => ack(++seq));
    const batcher = new PublishBatcher(js);
    const acks = Promise.all(['a', 'b', 'c'].map((subject) => batcher.publish(subject, '{}', `id-${subject}`)));
    await Promise.resolve();
    expect(sent).toEqual([]);
    await nextTurn();
    expect(sent).toEqual(['a', 'b', 'c']);
    expect((await acks).map((a) => a.seq)).toEqual([1, 2, 3]);
  });

  it('fails only the publication JetStream refused', async () => {
    const { js } = fakeJetStream(async (subject) => {
      if (subject === 'bad') throw new Error('no stream');
      return ack(1);
    });
    const batcher = new PublishBatcher(js);
    const [good, bad] = await Promise.allSettled([batcher.publish('good', '{}', 'g'), batcher.publish('bad', '{}', 'b')]);
    expect(good.status).toBe('fulfilled');
    expect(bad).toMatchObject({ status: 'rejected', reason: new Error('no stream') });
  });
});
