import { BlobServiceClient } from '@azure/storage-blob';
import type { NatsConnection } from 'nats';
import { complianceNames } from '@switchboard/nats-contracts';
import { LeaseRefused, NatsLeaseAuthority, NatsRecordingAnnouncer, RecordingWriter, retentionDaysFor, type RecordingStorageConfig } from '@switchboard/recording-store';
import type { RecordingGrants, RecordingStore } from '../orchestration/ports';
import { BlobRecordings } from './blob-recordings';
import { ComplianceGrants, SIGNALING_RECORDER } from './compliance-grants';

export type RecordingsSettings = { NATS_NAMESPACE: string } & Pick<RecordingStorageConfig, 'BLOB_CONNECTION_STRING' | 'RECORDINGS_CONTAINER' | 'RECORDING_RETENTION_DAYS' | 'TENANT_RECORDING_RETENTION_DAYS'>;

/**
 * Signaling as the recorder of service-hosted calls: grants from recording-compliance, files written through
 * libs/recording-store. Without Blob storage a flow's `record` is refused before anything is asked of Graph.
 */
export function signalingRecordings(nc: NatsConnection, settings: RecordingsSettings): { grants: RecordingGrants; recordings: RecordingStore } {
  const connectionString = settings.BLOB_CONNECTION_STRING;
  if (!connectionString) {
    const refuse = async (): Promise<never> => {
      throw new LeaseRefused('RecordingStorageMissing', 'signaling has no Blob storage for recordings: set BLOB_CONNECTION_STRING');
    };
    return { grants: { start: refuse, stop: async () => undefined, renew: async () => undefined }, recordings: { store: refuse } };
  }
  const names = complianceNames(settings.NATS_NAMESPACE);
  const authority = new NatsLeaseAuthority(nc, names, SIGNALING_RECORDER);
  const writer = new RecordingWriter({
    container: BlobServiceClient.fromConnectionString(connectionString).getContainerClient(settings.RECORDINGS_CONTAINER),
    leases: authority,
    announcer: new NatsRecordingAnnouncer(nc, nc.jetstream(), names),
    recorder: SIGNALING_RECORDER,
    retentionDays: retentionDaysFor(settings),
  });
  return { grants: new ComplianceGrants(authority), recordings: new BlobRecordings(writer) };
}
