import type { Call } from '@switchboard/graph-models';
import type { CallHandler } from '../orchestration/call-record';

/** The app that takes policy-based (compliance) recording invitations: recording-compliance answers them. */
export const COMPLIANCE_APP = 'recording-compliance';

export interface PolicyRecordingInvite {
  observedParticipantId?: string;
  policyId?: string;
  /** The recorded user is in a meeting: the invitation carries a meeting token. */
  meeting: boolean;
}

/**
 * A compliance recording invitation: Teams invites the policy's recorder with
 * `applicationMetadata.botData.inviteReasons: ["PolicyBasedRecording"]` (contract §6).
 */
export function policyRecordingInvite(call: Call): PolicyRecordingInvite | undefined {
  const botData = (call.applicationMetadata as { botData?: { inviteReasons?: unknown; policyIdentifier?: unknown } } | null | undefined)?.botData;
  const reasons = Array.isArray(botData?.inviteReasons) ? botData.inviteReasons : [];
  if (!reasons.some((r) => typeof r === 'string' && r.toLowerCase() === 'policybasedrecording')) return undefined;
  const observed = call.incomingContext?.observedParticipantId;
  return {
    ...(observed ? { observedParticipantId: observed } : {}),
    ...(typeof botData?.policyIdentifier === 'string' ? { policyId: botData.policyIdentifier } : {}),
    meeting: call.meetingInfo?.['@odata.type'] === '#microsoft.graph.tokenMeetingInfo',
  };
}

/** Invitations go to recording-compliance, whatever the routing rules say: no flow may run in a recorded call. */
export const policyRecordingHandler = (call: Call): CallHandler | undefined => (policyRecordingInvite(call) ? { kind: 'app', app: COMPLIANCE_APP } : undefined);
