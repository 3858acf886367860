import type { NatsConnection } from 'nats';
import { mediaCommandRefusalSchema, mediaCommandReplySchemas, type NatsNames } from '@switchboard/nats-contracts';

/** A media pod's answer to `record-call`: recording under the grant, or why it cannot. */
export type CallRecordingAnswer = { ok: true; grantId: string } | { ok: false; error: string; message: string };

/** The pods that host calls' media: asks the one hosting a call to record all of it. */
export interface CallRecorders {
  /** Throws when no pod answers for the call (its media session has not started, or is gone) or the answer is garbled. */
  recordCall(callId: string): Promise<CallRecordingAnswer>;
}

/**
 * `media.v1.commands.<call>.record-call` over NATS: only the pod hosting the call answers. The pod asks this service
 * for the grant before it answers, so the timeout covers Graph's answer to `recording`.
 */
export class NatsCallRecorders implements CallRecorders {
  constructor(
    private readonly nc: NatsConnection,
    private readonly names: Pick<NatsNames, 'mediaCommandSubject'>,
    private readonly timeoutMs: number,
  ) {}

  async recordCall(callId: string): Promise<CallRecordingAnswer> {
    const msg = await this.nc.request(this.names.mediaCommandSubject(callId, 'record-call'), '{}', { timeout: this.timeoutMs });
    const answer: unknown = msg.json();
    const granted = mediaCommandReplySchemas['record-call'].safeParse(answer);
    if (granted.success) return granted.data;
    const refused = mediaCommandRefusalSchema.safeParse(answer);
    if (refused.success) return refused.data;
    throw new Error(`the media pod answered record-call for call ${callId} with something else than a reply`);
  }
}
