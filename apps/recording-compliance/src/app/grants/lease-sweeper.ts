import type { Logger } from 'pino';
import type { GrantService } from './grant-service';

/** Looks for expired leases every interval, one sweep at a time; a failed sweep is logged and the next one tries again. */
export class LeaseSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly grants: GrantService,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.grants
        .sweep()
        .then((revoked) => {
          if (revoked) this.logger.warn({ revoked }, 'leases revoked after they expired');
        })
        .catch((error: unknown) => this.logger.error({ err: error }, 'lease sweep failed'))
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
