import type { AuditRecord, ComplianceEvent, MediaHosting, RecordingStatusValue } from '@switchboard/nats-contracts';

/** A call as signaling knows it; recording-compliance keeps no copy of call state. */
export interface CallFacts {
  callId: string;
  tenantId?: string;
  state: string;
  /** A policy-based recording invitation this service answered (signaling handed the call to it). */
  policyRecorded: boolean;
}

/** Signaling's call-control commands that the grant protocol needs. */
export interface SignalingCommands {
  /** The call, or undefined when signaling knows no such call. */
  call(callId: string): Promise<CallFacts | undefined>;
  /** Has signaling send updateRecordingStatus once for this clientContext; throws an ApiFailure when refused. */
  updateRecordingStatus(callId: string, status: RecordingStatusValue, clientContext: string): Promise<void>;
  /** Answers a call handed to recording-compliance (a policy-based recording invitation). */
  answer(callId: string, participantCapacity: number, media: MediaHosting): Promise<void>;
  /** Ends the call (the recorder leaves); once per call. */
  hangUp(callId: string): Promise<void>;
}

export type AuditEntry = Omit<AuditRecord, 'at'>;

export interface AuditSink {
  append(entry: AuditEntry): Promise<void>;
}

export interface GrantEventSink {
  publish(event: ComplianceEvent): Promise<void>;
}

/** What signaling reported about a status request (an operation-completed or effect-failed event). */
export interface StatusOutcome {
  grantId: string;
  callId: string;
  tenantId?: string;
  status: RecordingStatusValue;
  ok: boolean;
  operationId?: string;
  code?: number;
  subcode?: number;
  message?: string;
}
