import type { NatsConnection } from 'nats';
import { complianceEventSchema, complianceReplySchema, grantSchema, jsonOrUndefined, type ComplianceAction, type ComplianceNames, type Grant } from '@switchboard/nats-contracts';

/** A recording lease as recording-compliance granted it. */
export interface Lease {
  grantId: string;
  callId: string;
}

/** recording-compliance refused the lease (unknown, pending, expired, ended) or could not be asked. */
export class LeaseRefused extends Error {
  override readonly name = 'LeaseRefused';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What the writer asks of recording-compliance. */
export interface LeaseAuthority {
  /** Resolves when the lease holds now; throws LeaseRefused otherwise. */
  check(lease: Lease): Promise<void>;
  /** The writer cannot go on (storage failed): the grant is revoked and Graph hears `failed`. */
  revoke(lease: Lease, reason: string): Promise<void>;
  /** Calls `onRevoked` with the grant id of every grant revoked or stopped from now on; returns the unsubscribe. */
  watchEnds(onEnded: (grantId: string) => void): () => void;
}

const encoder = new TextEncoder();

/** recording-compliance's grant commands and lease events over NATS. */
export class NatsLeaseAuthority implements LeaseAuthority {
  constructor(
    private readonly nc: NatsConnection,
    private readonly names: ComplianceNames,
    private readonly recorder: string,
    private readonly timeoutMs = 5_000,
  ) {}

  /** Asks for a grant of the call; resolves with it once active (or `pending` after `waitMs`), throws LeaseRefused. */
  async start(callId: string, waitMs?: number): Promise<Grant> {
    return grantSchema.parse(await this.ask('start', { callId, recorder: this.recorder, ...(waitMs !== undefined ? { waitMs } : {}) }, (waitMs ?? 10_000) + this.timeoutMs));
  }

  async renew(lease: Lease): Promise<Grant> {
    return grantSchema.parse(await this.ask('renew', { ...lease, recorder: this.recorder }));
  }

  /** Call after the last write was committed: the lease ends, then `notRecording` is sent. */
  async stop(lease: Lease): Promise<Grant> {
    return grantSchema.parse(await this.ask('stop', { ...lease, recorder: this.recorder }));
  }

  async check(lease: Lease): Promise<void> {
    await this.ask('check', { ...lease, recorder: this.recorder });
  }

  async revoke(lease: Lease, reason: string): Promise<void> {
    await this.ask('revoke', { ...lease, recorder: this.recorder, reason: reason.slice(0, 500) });
  }

  watchEnds(onEnded: (grantId: string) => void): () => void {
    const subscriptions = (['revoked', 'stopped'] as const).map((type) =>
      this.nc.subscribe(this.names.eventSubject(type), {
        callback: (error, msg) => {
          if (error) return;
          const event = complianceEventSchema.safeParse(jsonOrUndefined(msg.data));
          if (event.success && 'grant' in event.data) onEnded(event.data.grant.grantId);
        },
      }),
    );
    return () => subscriptions.forEach((s) => s.unsubscribe());
  }

  private async ask(action: ComplianceAction, payload: Record<string, unknown>, timeoutMs = this.timeoutMs): Promise<unknown> {
    let data: Uint8Array;
    try {
      data = (await this.nc.request(this.names.commandSubject(action), encoder.encode(JSON.stringify(payload)), { timeout: timeoutMs })).data;
    } catch (error) {
      throw new LeaseRefused('ComplianceUnavailable', `recording-compliance did not answer ${action}: ${(error as Error).message}`);
    }
    const reply = complianceReplySchema.safeParse(jsonOrUndefined(data));
    if (!reply.success) throw new LeaseRefused('ComplianceFailed', `recording-compliance could not carry out ${action}`);
    if (!reply.data.ok) throw new LeaseRefused(reply.data.code, reply.data.message);
    return reply.data.result;
  }
}
