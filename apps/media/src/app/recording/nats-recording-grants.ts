import type { NatsConnection, Subscription } from 'nats';
import { callIdToken, complianceEventSchema, jsonOrUndefined, type ComplianceNames, type Grant } from '@switchboard/nats-contracts';
import { LeaseRefused, NatsLeaseAuthority, type Lease } from '@switchboard/recording-store';
import type { RecordingGrant, RecordingGrants } from '../session/recording-gate';

export interface NatsRecordingGrantsOptions {
  /** How long `start` may wait for Graph's answer before compliance says `pending` (then the grant is awaited). */
  startWaitMs?: number;
  /** A grant still pending this long after the request is given up (compliance revokes it in its own time). */
  acquireTimeoutMs?: number;
  /** How often a pending grant is checked, in case its `granted` event was missed. */
  pendingCheckMs?: number;
  /**
   * Graph's id of the call the pod knows by `callId` (grants are Graph's calls'): a call the API placed was prepared
   * under an id of signaling's before Graph named it. The id itself when not given.
   */
  graphCallIdOf?: (callId: string) => Promise<string>;
  now?: () => number;
}

/** One grant the pod holds: valid until revoked, stopped, expired, or released. */
class HeldGrant implements RecordingGrant {
  valid = true;
  renewTimer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly grantId: string,
    readonly callId: string,
    readonly recorder: string,
    readonly tenantId: string | undefined,
    public expiresAt: number,
  ) {}

  get lease(): Lease {
    return { grantId: this.grantId, callId: this.callId };
  }

  onRevoked(listener: () => void): () => void {
    if (!this.valid) {
      listener();
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Invalid at once; listeners hear it once. */
  end(): void {
    if (!this.valid) return;
    this.valid = false;
    clearTimeout(this.renewTimer);
    for (const l of [...this.listeners]) l();
    this.listeners.clear();
  }
}

/**
 * The pod's side of recording-compliance's grant protocol over NATS. `acquire` sends `start` and resolves once the
 * grant is active (at once, or on its `granted` event / a `check` when Graph answers later); while held, the lease is
 * renewed halfway to its expiry; `revoked` and `stopped` events (and a renewal refused, or the lease running out
 * unrenewed) end it at once and fire `onRevoked`; `release` sends `stop`. One grant per call, as compliance allows.
 */
export class NatsRecordingGrants implements RecordingGrants {
  private readonly held = new Map<string, HeldGrant>();
  private readonly waiting = new Map<string, (grant: Grant) => void>();
  private readonly subscription: Subscription;
  private readonly now: () => number;

  constructor(
    private readonly nc: NatsConnection,
    private readonly names: ComplianceNames,
    private readonly options: NatsRecordingGrantsOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.subscription = nc.subscribe(names.eventSubjects, { callback: (error, msg) => !error && this.onEvent(msg.data) });
  }

  grantFor(callId: string): RecordingGrant | undefined {
    return this.held.get(callIdToken(callId));
  }

  async acquire(callId: string, recorder: string): Promise<RecordingGrant> {
    const key = callIdToken(callId);
    if (this.held.has(key)) throw new LeaseRefused('GrantExists', `this pod already holds a recording grant of call ${callId}`);
    const leases = new NatsLeaseAuthority(this.nc, this.names, recorder);
    const graphCallId = (await this.options.graphCallIdOf?.(callId)) ?? callId;
    let grant = await leases.start(graphCallId, this.options.startWaitMs ?? 10_000);
    if (grant.state === 'pending') grant = await this.untilDecided(leases, grant);
    if (grant.state !== 'active') throw new LeaseRefused('GrantEnded', `the recording grant of call ${callId} ended before it was active: ${grant.reason ?? grant.state}`);
    if (this.held.has(key)) {
      await leases.stop({ grantId: grant.grantId, callId: graphCallId }).catch(() => undefined);
      throw new LeaseRefused('GrantExists', `this pod already holds a recording grant of call ${callId}`);
    }
    // Kept under the pod's id of the call (what its sessions ask by); the lease names Graph's.
    const held = new HeldGrant(grant.grantId, graphCallId, recorder, grant.tenantId, expiry(grant, this.now()));
    this.held.set(key, held);
    this.scheduleRenewal(held, leases);
    return held;
  }

  async release(callId: string): Promise<void> {
    const held = this.held.get(callIdToken(callId));
    if (!held) return;
    this.forget(held);
    const wasValid = held.valid;
    held.end();
    if (wasValid) await new NatsLeaseAuthority(this.nc, this.names, held.recorder).stop(held.lease);
  }

  /** Stops following events and renewing; grants still held end (the pod stops). */
  close(): void {
    this.subscription.unsubscribe();
    for (const held of [...this.held.values()]) {
      this.forget(held);
      held.end();
    }
  }

  private onEvent(data: Uint8Array): void {
    const event = complianceEventSchema.safeParse(jsonOrUndefined(data));
    if (!event.success || !('grant' in event.data)) return;
    const { type, grant } = event.data;
    this.waiting.get(grant.grantId)?.(grant);
    if (type !== 'revoked' && type !== 'stopped') return;
    const held = [...this.held.values()].find((h) => h.grantId === grant.grantId);
    if (!held) return;
    this.forget(held);
    held.end();
  }

  /** A pending grant: its `granted`/`revoked` event, or a `check` that finds it active, decides it. */
  private untilDecided(leases: NatsLeaseAuthority, pending: Grant): Promise<Grant> {
    const { grantId, callId } = pending;
    return new Promise<Grant>((resolve, reject) => {
      const deadline = this.now() + (this.options.acquireTimeoutMs ?? 30_000);
      let poll: NodeJS.Timeout | undefined;
      const settle = (grant: Grant | undefined, error?: Error) => {
        clearTimeout(poll);
        this.waiting.delete(grantId);
        if (grant) resolve(grant);
        else reject(error);
      };
      this.waiting.set(grantId, (grant) => grant.state !== 'pending' && settle(grant));
      const check = () => {
        leases.check({ grantId, callId }).then(
          () => settle({ ...pending, state: 'active' }),
          (error: unknown) => {
            if (!this.waiting.has(grantId)) return;
            if (error instanceof LeaseRefused && error.code !== 'GrantPending' && error.code !== 'ComplianceUnavailable') return settle(undefined, error);
            if (this.now() >= deadline) return settle(undefined, new LeaseRefused('GrantPending', `Graph did not acknowledge recording of call ${callId} in time`));
            poll = setTimeout(check, this.options.pendingCheckMs ?? 1000);
          },
        );
      };
      poll = setTimeout(check, this.options.pendingCheckMs ?? 1000);
    });
  }

  private scheduleRenewal(held: HeldGrant, leases: NatsLeaseAuthority): void {
    const wait = Math.max(100, (held.expiresAt - this.now()) / 2);
    held.renewTimer = setTimeout(() => {
      if (!held.valid) return;
      leases.renew(held.lease).then(
        (grant) => {
          held.expiresAt = expiry(grant, this.now());
          this.scheduleRenewal(held, leases);
        },
        (error: unknown) => {
          // Compliance unreachable: try again while the lease still runs; a refusal ends the grant at once.
          if (error instanceof LeaseRefused && error.code === 'ComplianceUnavailable' && this.now() < held.expiresAt) return this.scheduleRenewal(held, leases);
          // The call ended: no more renewals, but what is being committed under the lease may still be.
          if (error instanceof LeaseRefused && error.code === 'CallEnded') return this.endAtExpiry(held);
          this.forget(held);
          held.end();
        },
      );
    }, wait);
    held.renewTimer.unref();
  }

  private endAtExpiry(held: HeldGrant): void {
    held.renewTimer = setTimeout(() => {
      this.forget(held);
      held.end();
    }, Math.max(0, held.expiresAt - this.now()));
    held.renewTimer.unref();
  }

  private forget(held: HeldGrant): void {
    for (const [key, h] of this.held) if (h === held) this.held.delete(key);
  }
}

const expiry = (grant: Grant, now: number): number => (grant.expiresAt ? Date.parse(grant.expiresAt) : now + 10_000);
