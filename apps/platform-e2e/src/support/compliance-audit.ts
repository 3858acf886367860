import { complianceNames, complianceReplySchema, type AuditRecord } from '@switchboard/nats-contracts';
import type { E2eHarness } from './harness';

/** The audit trail of a recording granted, stored and stopped, in order. */
export const GRANTED_RECORDING_STEPS = [
  'grant-requested',
  'status-requested:recording',
  'status-result:recording',
  'granted',
  'recording-stored',
  'stopped',
  'status-requested:notRecording',
  'status-result:notRecording',
];

/** A call's audit records, read back through recording-compliance's `audit` command. */
export async function auditOf(h: E2eHarness, callId: string): Promise<AuditRecord[]> {
  const subject = complianceNames(h.names.namespace).commandSubject('audit');
  const reply = complianceReplySchema.parse((await h.nc.request(subject, JSON.stringify({ callId }), { timeout: 10_000 })).json());
  if (!reply.ok) throw new Error(reply.message);
  return reply.result as AuditRecord[];
}

/** The audit records as `action[:status]`. */
export const auditSteps = async (h: E2eHarness, callId: string): Promise<string[]> => (await auditOf(h, callId)).map((r) => r.action + (r.status ? `:${r.status}` : ''));
