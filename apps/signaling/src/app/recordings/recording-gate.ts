import type { IvrInput } from '@switchboard/ivr-engine';
import { parseStatusClientContext, type RecordingStatusValue } from '@switchboard/nats-contracts';
import type { CallRecord, GatedRecording, OutboxAction } from '../orchestration/call-record';
import { effectId, grantRenewalTimerId, type EffectId } from '../orchestration/effect-ids';

/** recording-compliance's leases last 30 s by default: renewed three times within one. */
export const DEFAULT_GRANT_RENEWAL_MS = 10_000;

/** What the gate may do to the call while one input is applied (the reducer's step). */
export interface GateHost {
  readonly record: CallRecord;
  readonly now: Date;
  readonly renewalIntervalMs: number;
  effect(id: EffectId, action: OutboxAction, clientContext?: string): void;
  toFlow(input: IvrInput): void;
  /** The record changed without a new effect. */
  touch(): void;
}

/**
 * Holds a flow's service-hosted `record` until recording may start (design invariant 3, issue 9): Graph records
 * nothing before it accepted `updateRecordingStatus(recording)`. The reducer asks recording-compliance for a grant
 * (`start-grant`, recorder `signaling`); compliance has signaling send the status, whose clientContext
 * `compliance:<grantId>:recording` names the grant; only Graph's success for that status releases recordResponse.
 * A refusal or failure fails the flow's step (`actionFailed`) and nothing is recorded. Every step is an input of the
 * call, so nothing waits for another service and a repeated input changes nothing.
 */
export class RecordingGate {
  constructor(private readonly host: GateHost) {}

  /** The flow asked to record: ask for a grant first; recordResponse waits in the record. */
  hold(request: GatedRecording['request']): void {
    const { record } = this.host;
    if (record.recording) this.release(true);
    record.recording = { request };
    this.host.effect(effectId({ kind: 'start-grant', clientContext: request.clientContext }), { kind: 'start-grant', clientContext: request.clientContext }, request.clientContext);
  }

  /** recording-compliance asked for a status: a `recording` names the grant a held record waits for; `failed` ends it. */
  onStatusRequested(status: RecordingStatusValue, clientContext: string): void {
    const cause = parseStatusClientContext(clientContext);
    const held = this.host.record.recording;
    if (!cause || cause.status !== status || !held) return;
    if (status === 'recording' && !held.grantId && !held.startedAt) {
      held.grantId = cause.grantId;
      this.host.touch();
    } else if (status === 'failed' && held.grantId === cause.grantId) {
      // Revoked (Graph refused, never answered, or the lease expired): nothing more is recorded or stored under it.
      this.fail('recording-compliance revoked the recording grant', false);
    }
  }

  /** Graph's outcome of a status request (its answer or its notification). */
  onStatusOutcome(clientContext: string, ok: boolean, error: string): void {
    const cause = parseStatusClientContext(clientContext);
    const held = this.host.record.recording;
    if (cause?.status !== 'recording' || !held || held.grantId !== cause.grantId || held.startedAt) return;
    if (!ok) return this.fail(`Graph did not accept the recording status: ${error}`, false);
    held.startedAt = this.host.now.toISOString();
    const { request } = held;
    this.host.effect(effectId({ kind: 'graph', clientContext: request.clientContext }), request, request.clientContext);
    this.armRenewal(held);
  }

  /** A renewal timer fired: the lease of a grant Graph still records under is renewed, and the next renewal armed. */
  onRenewalDue(timerId: string): void {
    const held = this.host.record.recording;
    if (!held?.grantId || held.renewalTimer !== timerId) return;
    this.host.effect(effectId({ kind: 'renew-grant', timerId }), { kind: 'renew-grant', grantId: held.grantId });
    this.armRenewal(held);
  }

  /** The recording of `clientContext` ended without a stored file (failed, refused, nothing recorded): its grant ends. */
  onRecordEnded(clientContext: string): void {
    if (this.host.record.recording?.request.clientContext === clientContext) this.release(true);
  }

  /** The recorded file is to be stored: the grant it was recorded under goes with it (stopped after the commit). */
  takeForStore(clientContext: string): { grantId: string; startedAt: string } | undefined {
    const held = this.host.record.recording;
    if (held?.request.clientContext !== clientContext || !held.grantId || !held.startedAt) return undefined;
    delete this.host.record.recording;
    this.host.touch();
    return { grantId: held.grantId, startedAt: held.startedAt };
  }

  /** The call ended: recording-compliance revokes its grant itself. */
  onCallEnded(): void {
    if (!this.host.record.recording) return;
    delete this.host.record.recording;
    this.host.touch();
  }

  /** A durable timer (it fires on whichever replica is alive) for the next renewal of the held grant's lease. */
  private armRenewal(held: GatedRecording): void {
    if (!held.grantId) return;
    held.renewals = (held.renewals ?? 0) + 1;
    const timerId = grantRenewalTimerId(held.grantId, held.renewals);
    held.renewalTimer = timerId;
    this.host.effect(effectId({ kind: 'timer', timerId }), {
      kind: 'schedule',
      input: { kind: 'timer', timerId, purpose: 'grant-renewal', dueAt: this.host.now.getTime() + this.host.renewalIntervalMs },
    });
  }

  /** `stopGrant` false: recording-compliance ends the grant itself (Graph refused; it sends `failed`). */
  private fail(error: string, stopGrant: boolean): void {
    const held = this.host.record.recording;
    if (!held) return;
    this.release(stopGrant);
    this.host.toFlow({ type: 'actionFailed', clientContext: held.request.clientContext, error });
  }

  /** Forgets the held recording and, with `stopGrant`, stops its grant if one was learnt. */
  private release(stopGrant: boolean): void {
    const held = this.host.record.recording;
    if (!held) return;
    delete this.host.record.recording;
    this.host.touch();
    if (stopGrant && held.grantId) this.host.effect(effectId({ kind: 'stop-grant', grantId: held.grantId }), { kind: 'stop-grant', grantId: held.grantId });
  }
}
