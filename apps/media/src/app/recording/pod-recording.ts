import { BlobServiceClient } from '@azure/storage-blob';
import type { NatsConnection } from 'nats';
import { complianceNames, natsNames } from '@switchboard/nats-contracts';
import { MediaCallDirectory } from '@switchboard/jetstream';
import { NatsLeaseAuthority, NatsRecordingAnnouncer, RecordingWriter, retentionDaysFor } from '@switchboard/recording-store';
import type { Logger } from 'pino';
import type { MediaConfig } from '../config';
import type { RecordingGate } from '../session/recording-gate';
import type { SessionHubOptions } from '../session/session-hub';
import { blobSinkOpener } from './blob-recording-sink';
import { NatsRecordingGrants } from './nats-recording-grants';

type RecordingConfig = Pick<MediaConfig, 'BLOB_CONNECTION_STRING' | 'RECORDINGS_CONTAINER' | 'RECORDING_RETENTION_DAYS' | 'TENANT_RECORDING_RETENTION_DAYS' | 'NATS_NAMESPACE' | 'POD_NAME'>;

export interface PodRecording {
  /** What the sessions record with (absent: nothing is recorded, `record` answers `not-granted`). */
  sessions: Pick<SessionHubOptions, 'recording' | 'messages'>;
  close(): void;
}

/**
 * The pod's recording: grants from recording-compliance (same NATS namespace), tracks written to Blob storage through
 * the one recordings writer. The record verb asks for grants as `media:<pod>:record`; the whole-call recorder writes
 * a call's tracks while the pod holds a grant of the call as `media:<pod>` (so a message is not also stored as tracks).
 */
export function podRecording(nc: NatsConnection, config: RecordingConfig, logger: Logger): PodRecording {
  if (!config.BLOB_CONNECTION_STRING) {
    logger.warn('BLOB_CONNECTION_STRING is not set: this pod records nothing (record answers not-granted)');
    return { sessions: {}, close: () => undefined };
  }
  const names = complianceNames(config.NATS_NAMESPACE);
  const callRecorder = `media:${config.POD_NAME}`;
  const grants = new NatsRecordingGrants(nc, names, { graphCallIdOf: graphCallIds(nc, natsNames(config.NATS_NAMESPACE).mediaCallsBucket) });
  const writer = new RecordingWriter({
    container: BlobServiceClient.fromConnectionString(config.BLOB_CONNECTION_STRING).getContainerClient(config.RECORDINGS_CONTAINER),
    leases: new NatsLeaseAuthority(nc, names, callRecorder),
    announcer: new NatsRecordingAnnouncer(nc, nc.jetstream(), names),
    recorder: callRecorder,
    retentionDays: retentionDaysFor(config),
  });
  const openSink = blobSinkOpener(writer);
  logger.info({ container: config.RECORDINGS_CONTAINER }, 'recording under recording-compliance grants to Blob storage');
  return {
    sessions: {
      recording: { gate: grantsOf(grants, callRecorder), openSink, start: (callId) => grants.acquire(callId, callRecorder), stop: (callId) => grants.release(callId) },
      messages: { grants, openSink, recorder: `${callRecorder}:record` },
    },
    close: () => {
      grants.close();
      writer.close();
    },
  };
}

/**
 * Graph's call id of a call this pod streams: signaling keeps it for calls the API placed (prepared before Graph named
 * them) in the media calls bucket; an incoming call is known by Graph's id already, as is every call while signaling
 * has not made the bucket (read only: this pod never creates it).
 */
function graphCallIds(nc: NatsConnection, bucket: string): (callId: string) => Promise<string> {
  let directory: Promise<MediaCallDirectory | undefined> | undefined;
  const open = () => nc.jetstream().views.kv(bucket, { bindOnly: true }).then((kv) => new MediaCallDirectory(kv), () => undefined);
  return async (callId) => {
    directory ??= open();
    const found = await directory;
    if (!found) directory = undefined;
    return found ? found.callIdOf(callId) : callId;
  };
}

/** The grants `gate` holds for `recorder` only (the whole-call recorder does not write under a message's grant). */
export function grantsOf(gate: RecordingGate, recorder: string): RecordingGate {
  return {
    grantFor: (callId) => {
      const grant = gate.grantFor(callId);
      return grant?.recorder === recorder ? grant : undefined;
    },
  };
}
