import type { RecordingCatalog } from '@switchboard/recording-store';
import type { AuditSink } from '../grants/grant-ports';

/**
 * Deletes recordings whose retention ended (`retainUntil`, set by the writer from the tenant's retention), each one
 * audited as `recording-deleted` with its metadata. Every replica sweeps; the audit id is the recording's, so one
 * deletion seen by two replicas is one record, and only the replica whose delete succeeded writes it.
 */
export class RetentionSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly catalog: Pick<RecordingCatalog, 'expired' | 'delete'>,
    private readonly audit: AuditSink,
    private readonly intervalMs: number,
    private readonly log: { warn(fields: object, msg: string): void },
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sweepOnce(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; the number of recordings it deleted. A pass already running is not started twice. */
  sweepOnce(): Promise<number> {
    this.running ??= this.sweep()
      .catch((error: unknown) => {
        this.log.warn({ err: error }, 'retention sweep failed; the next one tries again');
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweep(): Promise<number> {
    let deleted = 0;
    for (const due of await this.catalog.expired(this.now())) {
      if (!(await this.catalog.delete(due))) continue;
      deleted += 1;
      await this.audit.append({
        auditId: `${due.recordingId}:deleted`,
        action: 'recording-deleted',
        actor: 'retention',
        callId: due.callId,
        ...(due.metadata?.tenantId ? { tenantId: due.metadata.tenantId } : {}),
        ...(due.metadata?.grantId ? { grantId: due.metadata.grantId } : {}),
        reason: `retained until ${due.retainUntil}`,
        ...(due.metadata ? { recording: due.metadata } : {}),
      });
    }
    return deleted;
  }
}
