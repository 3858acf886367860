import pino from 'pino';
import { waitUntil } from '@switchboard/dev-infra';
import { LeaseSweeper } from './lease-sweeper';

describe('LeaseSweeper', () => {
  it("sweeps again while an earlier sweep's signaling steps are still under way, and lets them finish on stop", async () => {
    let sweeps = 0;
    let answer!: (errors: unknown[]) => void;
    const unanswered = new Promise<unknown[]>((resolve) => (answer = resolve));
    const sweeper = new LeaseSweeper({ sweep: async () => ({ revoked: 1, followUps: ++sweeps === 1 ? unanswered : Promise.resolve([]) }) }, 10, pino({ level: 'silent' }));
    sweeper.start();
    await waitUntil(() => sweeps >= 3, 'later sweeps', 5_000, 5);
    let stopped = false;
    const stopping = sweeper.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    answer([]);
    await stopping;
  });
});
