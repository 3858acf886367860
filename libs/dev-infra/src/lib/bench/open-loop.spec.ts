import { performance } from 'node:perf_hooks';
import { paceOpenLoop } from './open-loop';

describe('paceOpenLoop', () => {
  it('starts rate × seconds sends spread over the duration, without waiting for answers', async () => {
    const startedAt: number[] = [];
    const began = performance.now();
    const sent = await paceOpenLoop(50, 0.4, async () => {
      startedAt.push(performance.now() - began);
      await new Promise((r) => setTimeout(r, 100)); // slower than the 20 ms gap: must not slow the pace
    });
    expect(sent).toBe(20);
    expect(startedAt).toHaveLength(20);
    // Spread over the duration (not all at once), and started in order.
    expect(startedAt[19] - startedAt[0]).toBeGreaterThan(300);
    expect([...startedAt].sort((a, b) => a - b)).toEqual(startedAt);
  });

  it('refuses a rate or duration that is not positive', async () => {
    await expect(paceOpenLoop(0, 1, async () => undefined)).rejects.toThrow(/positive rate and duration, got 0\/s for 1 s/);
    await expect(paceOpenLoop(5, Number.NaN, async () => undefined)).rejects.toThrow(/positive rate/);
  });
});
