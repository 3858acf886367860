import { ErrorCode, NatsError, type NatsConnection } from 'nats';
import { mediaCommandRefusalSchema, mediaCommandReplySchemas, type MediaCommandOf, type NatsNames } from '@switchboard/nats-contracts';
import { MediaCommandRefused, type FlowMediaVerb, type MediaSessionPort } from '../orchestration/ports';

/**
 * A call's media session over NATS request/reply (`media.v1.commands.<callToken>.<verb>`): only the pod hosting the
 * call answers, so "no responders" means no session, a refusal reply means the pod will not do it; both are final.
 * A timeout (the pod busy, NATS slow) is thrown as it is: transient, the effect is tried again.
 */
export class NatsMediaSessions implements MediaSessionPort {
  constructor(
    private readonly nc: NatsConnection,
    private readonly names: Pick<NatsNames, 'mediaCommandSubject'>,
    private readonly timeoutMs: number,
  ) {}

  async command<V extends FlowMediaVerb>(mediaCallId: string, verb: V, body: MediaCommandOf<V>): Promise<void> {
    let data: unknown;
    try {
      const reply = await this.nc.request(this.names.mediaCommandSubject(mediaCallId, verb), JSON.stringify(body), { timeout: this.timeoutMs });
      data = reply.json();
    } catch (error) {
      if (error instanceof NatsError && error.code === ErrorCode.NoResponders) {
        throw new MediaCommandRefused(`media ${verb} for call ${mediaCallId}: no media pod hosts its session`);
      }
      throw error;
    }
    const refusal = mediaCommandRefusalSchema.safeParse(data);
    if (refusal.success) {
      // A prompt id already queued: this very command, repeated after a takeover.
      if (verb === 'play' && refusal.data.error === 'duplicate') return;
      throw new MediaCommandRefused(`media ${verb} for call ${mediaCallId} refused (${refusal.data.error}): ${refusal.data.message}`);
    }
    if (!mediaCommandReplySchemas[verb].safeParse(data).success) throw new MediaCommandRefused(`media ${verb} for call ${mediaCallId}: the pod's reply is not one of the contract`);
  }
}
