import type { Logger } from 'pino';
import type { GrantService } from './grant-service';

/**
 * Looks for expired leases every interval, one sweep at a time; a failed sweep is logged and the next one tries again.
 * A sweep is over once its grants are revoked: what they still ask of signaling (each request up to its timeout) runs
 * on, and the next sweep does not wait for it.
 */
export class LeaseSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly followingUp = new Set<Promise<void>>();

  constructor(
    private readonly grants: Pick<GrantService, 'sweep'>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.grants
        .sweep()
        .then(({ revoked, followUps }) => {
          if (revoked) this.logger.warn({ revoked }, 'leases revoked after they expired');
          const done: Promise<void> = followUps
            .then((errors) => errors.forEach((err) => this.logger.error({ err }, 'a revoked lease: failed status or failure policy not carried out')))
            .finally(() => this.followingUp.delete(done));
          this.followingUp.add(done);
        })
        .catch((error: unknown) => this.logger.error({ err: error }, 'lease sweep failed'))
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await Promise.all(this.followingUp);
  }
}
