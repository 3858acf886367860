import { performance } from 'node:perf_hooks';

/**
 * Open loop: starts `round(rate × seconds)` sends at a fixed rate whatever their answers do, so slow answers queue
 * instead of slowing the sender down (a closed loop would hide queueing). Sends due during one timer tick start
 * together at that tick. Resolves with the number started once every send has settled; `send` must not reject.
 */
export async function paceOpenLoop(ratePerSecond: number, seconds: number, send: () => Promise<void>): Promise<number> {
  if (!(ratePerSecond > 0) || !(seconds > 0)) throw new Error(`paceOpenLoop needs a positive rate and duration, got ${ratePerSecond}/s for ${seconds} s`);
  const total = Math.max(1, Math.round(ratePerSecond * seconds));
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * ratePerSecond) + 1);
    for (; sent < due; sent++) pending.push(send());
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  return sent;
}
