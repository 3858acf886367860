import { LeaseRefused, type NatsLeaseAuthority } from '@switchboard/recording-store';
import type { FailureKind, RecordingGrants } from '../orchestration/ports';

/** The recorder name signaling asks for grants under (named in every audit record). */
export const SIGNALING_RECORDER = 'signaling';

/** recording-compliance could not be asked, or could not answer: worth asking again. */
const UNANSWERED = new Set(['ComplianceUnavailable', 'ComplianceFailed']);
/** The grant is already over (stopped, revoked, expired, replaced): stopping it again has nothing to do. */
const ALREADY_ENDED = new Set(['UnknownGrant', 'GrantEnded', 'LeaseExpired']);

/** recording-compliance's grant commands for signaling's service-hosted recordings. */
export class ComplianceGrants implements RecordingGrants {
  constructor(private readonly authority: Pick<NatsLeaseAuthority, 'start' | 'stop' | 'renew'>) {}

  async start(callId: string): Promise<void> {
    // Answered at once (pending): Graph's verdict comes back as the call's inputs, nothing waits for it here.
    await this.authority.start(callId, 0);
  }

  async stop(lease: { grantId: string; callId: string }): Promise<void> {
    await unlessEnded(this.authority.stop(lease));
  }

  async renew(lease: { grantId: string; callId: string }): Promise<void> {
    await unlessEnded(this.authority.renew(lease));
  }
}

/** A grant that is already over needs no stop or renewal; every other refusal is the effect's failure. */
async function unlessEnded(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (!(error instanceof LeaseRefused) || !ALREADY_ENDED.has(error.code)) throw error;
  }
}

/** A refusal of recording-compliance (the call has a grant, is not established …) does not change on a retry. */
export function classifyGrantFailure(error: unknown): FailureKind | undefined {
  if (!(error instanceof LeaseRefused)) return undefined;
  return UNANSWERED.has(error.code) ? 'transient' : 'permanent';
}
