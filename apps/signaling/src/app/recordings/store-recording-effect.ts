import type { CallRecord, OutboxAction } from '../orchestration/call-record';
import { recordingStoredEventId } from '../orchestration/effect-ids';
import type { EventPublisher, RecordingGrants, RecordingStore } from '../orchestration/ports';
import type { RecordingTokenSeal } from './recording-token-seal';

export interface StoreRecordingPorts {
  recordings: RecordingStore;
  grants: RecordingGrants;
  events: EventPublisher;
  /** Opens the access tokens the reducer sealed into store-recording items. */
  recordingTokens: Pick<RecordingTokenSeal, 'open'>;
}

/**
 * Downloads a recorded message and writes it through libs/recording-store under the grant it was recorded under,
 * then stops the grant (recording-compliance sends `notRecording` only after this last write) and tells the call's
 * followers with `recording-stored`. The lease is checked by the writer: a revoked grant stores nothing.
 */
export async function storeRecordedMessage(ports: StoreRecordingPorts, action: Extract<OutboxAction, { kind: 'store-recording' }>, record: CallRecord): Promise<void> {
  const { callId, tenantId, caller } = record;
  // Opened here and only held for the download: it is in no record, event or log line.
  const accessToken = ports.recordingTokens.open(action.sealedAccessToken, action.name);
  const stored = await ports.recordings.store({
    callId,
    tenantId,
    grantId: action.grantId,
    location: action.location,
    accessToken,
    participants: caller?.id ? [{ id: caller.id, ...(caller.displayName ? { displayName: caller.displayName } : {}) }] : [],
    startedAt: new Date(action.startedAt),
    endedAt: new Date(action.endedAt),
  });
  await ports.grants.stop({ grantId: action.grantId, callId });
  await ports.events.publish({
    type: 'recording-stored',
    eventId: recordingStoredEventId(callId, action.name),
    callId,
    tenantId,
    occurredAt: new Date().toISOString(),
    grantId: action.grantId,
    ...stored,
  });
}
