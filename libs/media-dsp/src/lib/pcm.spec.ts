import { dbm0ToDbfs, levelDbfs, pcm16View, saturate16 } from './pcm';

describe('PCM helpers', () => {
  it('views aligned little-endian bytes without copying, and copies unaligned ones', () => {
    const bytes = Buffer.from([0x01, 0x00, 0xff, 0xff, 0x00, 0x80]);
    const view = pcm16View(bytes);
    expect([...view]).toEqual([1, -1, -32768]);
    expect(view.buffer).toBe(bytes.buffer);
    const odd = Buffer.alloc(7);
    odd.set(bytes, 1);
    expect([...pcm16View(odd.subarray(1))]).toEqual([1, -1, -32768]);
    expect(() => pcm16View(Buffer.alloc(3))).toThrow(/even number of bytes, got 3/);
  });

  it('clamps to 16 bits and measures levels against a full-scale sine', () => {
    expect([saturate16(40000), saturate16(-40000), saturate16(1.6)]).toEqual([32767, -32768, 2]);
    expect(levelDbfs(Int16Array.from([32767, -32767]))).toBeCloseTo(3.01, 2);
    expect(levelDbfs(new Int16Array(4))).toBe(-Infinity);
    expect(dbm0ToDbfs(0)).toBeCloseTo(-3.14, 2);
  });
});
