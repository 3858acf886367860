import type { Grant, GrantState, RecordingStatusValue } from '@switchboard/nats-contracts';
import type { AuditEntry } from './grant-ports';

/** One call's current grant as kept in the grants bucket (key = the call's token). */
export interface GrantRecord {
  grantId: string;
  callId: string;
  tenantId?: string;
  recorder: string;
  state: GrantState;
  requestedAt: string;
  /** Epoch ms; set while active. */
  expiresAt?: number;
  renewals: number;
  reason?: string;
  /** Statuses asked of Graph for this grant, in order. */
  statusesSent: RecordingStatusValue[];
  /**
   * The call ended while the grant was active: writers may still commit what they recorded under it until its
   * (shortened) lease runs out, but not renew; Graph takes no status for an ended call.
   */
  callEnded?: true;
  /**
   * Audit entries decided in this record's writes and not yet known to be in the trail. A write puts its entry here,
   * in the same compare-and-set, and it leaves once appended; a failed append or a crash in between leaves it for
   * the sweep, so no step of a grant goes unaudited. Entries of an earlier grant of the call stay until appended.
   */
  unaudited?: AuditEntry[];
}

/** A grant that may still record or is about to: a second one for the same call is refused. */
export const isOpen = (grant: GrantRecord): boolean => grant.state === 'pending' || grant.state === 'active';

export const isLive = (grant: GrantRecord, nowMs: number): boolean => grant.state === 'active' && (grant.expiresAt ?? 0) > nowMs;

/** The grant as the protocol shows it. */
export function grantView(grant: GrantRecord): Grant {
  return {
    grantId: grant.grantId,
    callId: grant.callId,
    ...(grant.tenantId ? { tenantId: grant.tenantId } : {}),
    recorder: grant.recorder,
    state: grant.state,
    ...(grant.state === 'active' && grant.expiresAt !== undefined ? { expiresAt: new Date(grant.expiresAt).toISOString() } : {}),
    ...(grant.reason ? { reason: grant.reason } : {}),
  };
}
