import { FrameClock } from './frame-clock';

describe('FrameClock', () => {
  let now = 0;
  beforeEach(() => {
    jest.useFakeTimers();
    now = 0;
  });
  afterEach(() => jest.useRealTimers());

  /** Advances the clock's time and jest's timers together. */
  function advance(ms: number): void {
    now += ms;
    jest.advanceTimersByTime(ms);
  }

  it('hands out one frame per 20 ms to every listener, numbered from where it stopped', () => {
    const clock = new FrameClock(20, () => now);
    const a: number[] = [];
    const b: number[] = [];
    const la = (n: number) => a.push(n);
    clock.add(la);
    clock.add((n) => b.push(n));
    advance(100);
    expect(a).toEqual([1, 2, 3, 4, 5]);
    expect(b).toEqual(a);
    clock.remove(la);
    advance(40);
    expect(a).toHaveLength(5);
    expect(b).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('sets each timer for the next frame on a fixed grid, so late timers do not add up to drift', () => {
    const clock = new FrameClock(20, () => now);
    const frames: number[] = [];
    clock.add((n) => frames.push(n));
    // The first timer fires 7 ms late (at 27 ms): the next one is set for 40 ms, not for 47.
    now = 27;
    jest.advanceTimersByTime(27);
    expect(frames).toEqual([1]);
    now = 39;
    jest.advanceTimersByTime(12);
    expect(frames).toEqual([1]);
    now = 40;
    jest.advanceTimersByTime(1);
    expect(frames).toEqual([1, 2]);
    // A 100 ms stall: the frames missed go out at once, in order.
    now = 145;
    jest.advanceTimersByTime(105);
    expect(frames).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(clock.skipped).toBe(0);
  });

  it('skips the frames of a long stall instead of bursting them, and counts them', () => {
    const clock = new FrameClock(20, () => now);
    const frames: number[] = [];
    clock.add((n) => frames.push(n));
    now += 1000;
    jest.advanceTimersByTime(20);
    expect(frames).toEqual([50]);
    expect(clock.skipped).toBe(49);
  });

  it('stops its timer when the last listener leaves', () => {
    const clock = new FrameClock(20, () => now);
    const listener = jest.fn();
    clock.add(listener);
    clock.remove(listener);
    expect(jest.getTimerCount()).toBe(0);
  });
});
