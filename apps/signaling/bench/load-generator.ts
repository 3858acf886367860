import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { paceOpenLoop } from '@switchboard/dev-infra';

/** One request to send: the body and headers are built by the caller so each can be distinct. */
export interface BenchRequest {
  body: string;
  headers: Record<string, string>;
}

export interface PhaseResult {
  /** Requests answered with the expected status. */
  ok: number;
  /** Other statuses and transport errors, by status code or error code. */
  errors: Record<string, number>;
  elapsedSeconds: number;
  /** ok / elapsed. */
  okPerSecond: number;
  /** Latency of each ok request, in milliseconds, from the moment it was handed to the pool. */
  latenciesMs: number[];
}

/** Sends POSTs to one path over a keep-alive pool and counts how they were answered. */
export class LoadGenerator {
  private readonly pool: Pool;

  constructor(
    origin: string,
    connections: number,
    private readonly path: string,
    private readonly expectedStatus: number,
    private readonly nextRequest: () => BenchRequest,
  ) {
    this.pool = new Pool(origin, { connections, pipelining: 1 });
  }

  /** Closed loop: `concurrency` senders, each sending its next request as soon as the last one is answered. */
  async closedLoop(concurrency: number, seconds: number): Promise<PhaseResult> {
    const tally = new Tally();
    const deadline = performance.now() + seconds * 1000;
    const sender = async () => {
      while (performance.now() < deadline) await this.send(tally);
    };
    await Promise.all(Array.from({ length: concurrency }, sender));
    return tally.result();
  }

  /**
   * Open loop: requests leave at a fixed rate whatever the answers do, so slow answers queue (in the pool and in the
   * server) instead of slowing the sender down. Requests due during a timer tick leave together at that tick.
   */
  async openLoop(ratePerSecond: number, seconds: number): Promise<PhaseResult & { sent: number }> {
    const tally = new Tally();
    const sent = await paceOpenLoop(ratePerSecond, seconds, () => this.send(tally));
    return { ...tally.result(), sent };
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async send(tally: Tally): Promise<void> {
    const { body, headers } = this.nextRequest();
    const began = performance.now();
    try {
      const res = await this.pool.request({ method: 'POST', path: this.path, headers, body });
      await res.body.dump();
      if (res.statusCode === this.expectedStatus) tally.ok(performance.now() - began);
      else tally.error(String(res.statusCode));
    } catch (error) {
      tally.error((error as { code?: string }).code ?? (error as Error).name);
    }
  }
}

class Tally {
  private readonly started = performance.now();
  private readonly latencies: number[] = [];
  private readonly errors: Record<string, number> = {};

  ok(latencyMs: number): void {
    this.latencies.push(latencyMs);
  }

  error(kind: string): void {
    this.errors[kind] = (this.errors[kind] ?? 0) + 1;
  }

  result(): PhaseResult {
    const elapsedSeconds = (performance.now() - this.started) / 1000;
    const ok = this.latencies.length;
    return { ok, errors: { ...this.errors }, elapsedSeconds, okPerSecond: ok / elapsedSeconds, latenciesMs: this.latencies };
  }
}
