import type { JetStreamClient, NatsConnection } from 'nats';
import { auditRecordSchema, type ComplianceNames, type RecordingMetadata } from '@switchboard/nats-contracts';

/** Tells the platform a recording landed. */
export interface RecordingAnnouncer {
  announce(recording: RecordingMetadata, recorder: string): Promise<void>;
}

/**
 * A stored recording becomes an audit record (JetStream, acknowledged, deduplicated by the recording's id) and a
 * `recording-stored` event for whoever follows recordings.
 */
export class NatsRecordingAnnouncer implements RecordingAnnouncer {
  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly names: ComplianceNames,
  ) {}

  async announce(recording: RecordingMetadata, recorder: string): Promise<void> {
    const at = new Date().toISOString();
    const record = auditRecordSchema.parse({
      auditId: `recording:${recording.recordingId}`,
      at,
      action: 'recording-stored',
      actor: recorder,
      callId: recording.callId,
      ...(recording.tenantId ? { tenantId: recording.tenantId } : {}),
      ...(recording.grantId ? { grantId: recording.grantId } : {}),
      result: { ok: true },
      recording,
    });
    await this.js.publish(this.names.auditSubject(recording.callId), JSON.stringify(record), { msgID: record.auditId });
    this.nc.publish(this.names.eventSubject('recording-stored'), JSON.stringify({ type: 'recording-stored', at, recording }));
  }
}
