import { BoundedQueue } from './bounded-queue';

describe('BoundedQueue', () => {
  it('drops the oldest item when full under drop-oldest, and says so', () => {
    const discarded: [number, string][] = [];
    const q = new BoundedQueue<number>({ capacity: 3, policy: 'drop-oldest', onDiscard: (n, why) => discarded.push([n, why]) });
    for (let i = 1; i <= 5; i++) expect(q.push(i)).toBe(true);
    expect(discarded).toEqual([[1, 'dropped'], [2, 'dropped']]);
    expect([q.shift(), q.shift(), q.shift(), q.shift()]).toEqual([3, 4, 5, undefined]);
  });

  it('refuses when full under refuse, and wakes a waiting producer once there is room', async () => {
    const q = new BoundedQueue<string>({ capacity: 2, policy: 'refuse' });
    expect([q.push('a'), q.push('b'), q.push('c')]).toEqual([true, true, false]);
    let woke = false;
    const waiting = q.whenRoom().then(() => (woke = true));
    await Promise.resolve();
    expect(woke).toBe(false);
    expect(q.shift()).toBe('a');
    await waiting;
    expect(q.push('c')).toBe(true);
    expect([q.shift(), q.shift()]).toEqual(['b', 'c']);
  });

  it('replaces a queued item with the same coalescing key in place', () => {
    const discarded: string[] = [];
    const q = new BoundedQueue<{ src: string; n: number }>({
      capacity: 4,
      policy: 'drop-oldest',
      coalesceKey: (i) => (i.src === 'audio' ? undefined : i.src),
      onDiscard: (i, why) => discarded.push(`${i.src}${i.n}:${why}`),
    });
    q.push({ src: 'video-7', n: 1 });
    q.push({ src: 'audio', n: 2 });
    q.push({ src: 'video-7', n: 3 });
    q.push({ src: 'audio', n: 4 });
    expect(discarded).toEqual(['video-71:coalesced']);
    expect([q.shift(), q.shift(), q.shift()]).toEqual([{ src: 'video-7', n: 3 }, { src: 'audio', n: 2 }, { src: 'audio', n: 4 }]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new BoundedQueue({ capacity: 0, policy: 'refuse' })).toThrow('queue capacity must be a positive integer, got 0');
  });
});
