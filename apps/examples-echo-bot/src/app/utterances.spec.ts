import { HeardAudio } from './utterances';

const frame = (v: number) => Buffer.alloc(640, v);

describe('HeardAudio', () => {
  it('cuts frames by stream time, in order, and forgets those older than it keeps', () => {
    const heard = new HeardAudio(100);
    for (let n = 0; n < 10; n++) heard.add(n * 20, frame(n));
    expect(heard.between(100, 160).map((f) => f[0])).toEqual([5, 6, 7]);
    // Only the last 100 ms are kept.
    expect(heard.between(0, 1000).map((f) => f[0])).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('waits for a frame that has not arrived yet', async () => {
    const heard = new HeardAudio();
    heard.add(0, frame(1));
    let arrived = false;
    const waiting = heard.heard(40).then(() => (arrived = true));
    heard.add(20, frame(2));
    await Promise.resolve();
    expect(arrived).toBe(false);
    heard.add(40, frame(3));
    await waiting;
    expect(arrived).toBe(true);
  });
});
