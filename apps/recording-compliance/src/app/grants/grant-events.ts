import type { NatsConnection } from 'nats';
import type { ComplianceEvent, ComplianceNames } from '@switchboard/nats-contracts';
import type { GrantEventSink } from './grant-ports';

/**
 * Lease changes on core NATS, for recorders and writers to stop at once on a revocation. Losing one is safe:
 * a writer checks its lease before every write, and the audit trail keeps what happened.
 */
export class NatsGrantEvents implements GrantEventSink {
  constructor(
    private readonly nc: NatsConnection,
    private readonly names: ComplianceNames,
  ) {}

  async publish(event: ComplianceEvent): Promise<void> {
    this.nc.publish(this.names.eventSubject(event.type), JSON.stringify(event));
  }
}
