import { dbToGain, mixFrames, mixInto } from './mix';

describe('mixing', () => {
  it('sums frames and saturates instead of wrapping', () => {
    const out = new Int16Array(4);
    mixFrames([Int16Array.from([30000, -30000, 100, 1]), Int16Array.from([30000, -30000, -50, 2])], out);
    expect([...out]).toEqual([32767, -32768, 50, 3]);
  });

  it('treats a short input as silence after its end and applies gains', () => {
    const out = new Int16Array(3);
    mixFrames([Int16Array.from([100, 100, 100]), Int16Array.from([1000])], out, [1, dbToGain(-6.0206)]);
    expect([...out]).toEqual([600, 100, 100]);
    mixFrames([], out);
    expect([...out]).toEqual([0, 0, 0]);
  });

  it('adds into a frame in place, saturating', () => {
    const target = Int16Array.from([32000, -32000, 5]);
    mixInto(target, Int16Array.from([1000, -1000, 5]));
    expect([...target]).toEqual([32767, -32768, 10]);
  });
});
