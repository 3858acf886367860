import { TurnBatch } from './turn-batch';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('TurnBatch', () => {
  it('runs the work of one turn together in its check phase, in the order asked', async () => {
    const batch = new TurnBatch();
    const ran: string[] = [];
    batch.defer(() => ran.push('a'));
    await Promise.resolve().then(() => batch.defer(() => ran.push('b')));
    expect(ran).toEqual([]);
    await nextTurn();
    expect(ran).toEqual(['a', 'b']);
  });

  it('runs work deferred while a batch runs in a later turn, and says when all of it has run', async () => {
    const batch = new TurnBatch();
    const ran: string[] = [];
    batch.defer(() => {
      ran.push('first');
      batch.defer(() => ran.push('second'));
    });
    await nextTurn();
    expect(ran).toEqual(['first']);
    await batch.drained();
    expect(ran).toEqual(['first', 'second']);
  });
});
