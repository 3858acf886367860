import { randomUUID } from 'node:crypto';
import { failure, isApiFailure, type ApiFailure } from '@switchboard/api-auth';
import { statusClientContext, type CallEventOf, type Grant, type MediaHosting, type RecordingStatusValue } from '@switchboard/nats-contracts';
import { RecordingFailurePolicy } from '../policy/recording-failure-policy';
import type { CallRecorders } from './call-recorders';
import { grantView, isLive, isOpen, type GrantRecord } from './grant-record';
import type { AuditEntry, AuditSink, GrantEventSink, SignalingCommands, StatusOutcome } from './grant-ports';
import type { GrantStore } from './grant-store';

export interface GrantSettings {
  /** How long a lease lasts without renewal. */
  leaseMs: number;
  /** How long `start` waits for Graph's answer by default before answering `pending`. */
  startWaitMs: number;
  /** A grant Graph has not answered for this long is revoked (`failed` is sent). */
  pendingTimeoutMs: number;
  /** `participantCapacity` of answered policy-based recording invitations (1 by default). */
  participantCapacity?: number;
  /** How policy invitations are answered (app-hosted by default: a media pod records the call). */
  policyMedia?: MediaHosting;
  /** How often a waiting `start` looks at the grant again. */
  pollMs?: number;
  /** After the call ends, how long an active grant still lets its writers commit (no renewal, no status). */
  callEndGraceMs?: number;
}

export interface GrantDeps {
  store: GrantStore;
  signaling: SignalingCommands;
  audit: AuditSink;
  events: GrantEventSink;
  settings: GrantSettings;
  /** What a policy-recorded call's tenant wants when its recording fails (`leave` when not given). */
  failurePolicy?: RecordingFailurePolicy;
  /** The media pods, asked to record a policy call once it is established (app-hosted policy media only). */
  recorders?: CallRecorders;
  now?: () => number;
}

export interface LeaseRequest {
  grantId: string;
  callId: string;
  recorder?: string;
}

/** What a sweep revoked, and the signaling steps those revocations still owe. */
export interface Sweep {
  revoked: number;
  /** Settles once every revoked grant's `failed` status and failure policy have run: with the errors of those that failed. */
  followUps: Promise<unknown[]>;
}

/** Why a lease named in a request does not hold, or undefined when it does. */
type LeaseProblem = ApiFailure | undefined;

/**
 * The one place that grants recording. A grant becomes active only after Graph reported that
 * `updateRecordingStatus(recording)` succeeded; it ends by the recorder's stop (then `notRecording`), or is revoked
 * on Graph failure, lease expiry, storage failure (then `failed`) or the call's end. Every step is audited.
 * Nothing here waits inside signaling: status requests are answered at once and their outcome arrives as an event.
 */
export class GrantService {
  private readonly now: () => number;
  /** Swept grants' signaling steps, shared by all sweeps: a mass expiry does not flood signaling with requests. */
  private readonly sweepSignaling = limiter(SWEEP_SIGNALING_CONCURRENCY);

  constructor(private readonly deps: GrantDeps) {
    this.now = deps.now ?? Date.now;
  }

  async start(request: { callId: string; recorder: string; waitMs?: number }): Promise<Grant> {
    const { callId, recorder } = request;
    const call = await this.deps.signaling.call(callId);
    if (!call) return this.refuse({ callId, actor: recorder }, failure(404, 'CallNotFound', `no call ${callId} is known to signaling`));
    const where = { callId, actor: recorder, ...(call.tenantId ? { tenantId: call.tenantId } : {}) };
    if (call.state !== 'established') {
      return this.refuse(where, failure(409, 'WrongState', `recording needs an established call; call ${callId} is ${call.state}`));
    }
    const fresh: GrantRecord = {
      grantId: randomUUID(),
      callId,
      ...(call.tenantId ? { tenantId: call.tenantId } : {}),
      recorder,
      state: 'pending',
      requestedAt: new Date(this.now()).toISOString(),
      renewals: 0,
      statusesSent: [],
    };
    const held = await this.deps.store.change<GrantRecord>(callId, (current) => {
      if (current && isOpen(current)) return { keep: current };
      const written = this.owing(fresh, { auditId: `${fresh.grantId}:requested`, action: 'grant-requested', actor: recorder }, current?.unaudited);
      return { write: written, result: written };
    });
    if (held.grantId !== fresh.grantId) {
      return this.refuse(where, failure(409, 'GrantExists', `call ${callId} already has grant ${held.grantId} (${held.state}); stop it before asking again`));
    }
    await this.settleAudit(held);
    await this.sendStatus(fresh, 'recording', recorder);
    return this.awaitOutcome(fresh, request.waitMs ?? this.deps.settings.startWaitMs);
  }

  async renew(request: LeaseRequest): Promise<Grant> {
    const now = this.now();
    const outcome = await this.deps.store.change<GrantRecord | ApiFailure>(request.callId, (current) => {
      const problem = leaseProblem(current, request, now);
      if (problem || !current) return { keep: problem ?? unknownGrant(request) };
      if (current.callEnded) return { keep: failure(410, 'CallEnded', `call ${current.callId} ended: commit what was recorded under grant ${current.grantId} and stop it`) };
      const renewals = current.renewals + 1;
      const renewed = this.owing(
        { ...current, expiresAt: now + this.deps.settings.leaseMs, renewals },
        { auditId: `${current.grantId}:renewed:${renewals}`, action: 'renewed', actor: request.recorder ?? current.recorder },
      );
      return { write: renewed, result: renewed };
    });
    if (isApiFailure(outcome)) return this.refuseLease(request, outcome);
    await this.settleAudit(outcome);
    await this.publish('renewed', outcome);
    return grantView(outcome);
  }

  /** The recorder has stopped writing and flushed: the lease ends, then Graph hears `notRecording`. */
  async stop(request: LeaseRequest): Promise<Grant> {
    const now = this.now();
    const outcome = await this.deps.store.change<GrantRecord | ApiFailure>(request.callId, (current) => {
      if (!current || current.grantId !== request.grantId) return { keep: unknownGrant(request) };
      if (current.state === 'active' && !isLive(current, now)) return { keep: leaseEnded(current, now) };
      if (!isOpen(current)) return { keep: leaseEnded(current, now) };
      const stopped: GrantRecord = this.owing({ ...current, state: 'stopped', reason: 'stopped by the recorder' }, { auditId: `${current.grantId}:stopped`, action: 'stopped', actor: request.recorder ?? current.recorder });
      delete stopped.expiresAt;
      return { write: stopped, result: stopped };
    });
    if (isApiFailure(outcome)) return this.refuseLease(request, outcome);
    const actor = request.recorder ?? outcome.recorder;
    await this.settleAudit(outcome);
    await this.publish('stopped', outcome);
    if (!outcome.callEnded) await this.sendStatus(outcome, 'notRecording', actor);
    return grantView(outcome);
  }

  /** For writers: the grant when its lease holds now; a refusal otherwise. Changes nothing. */
  async check(request: LeaseRequest): Promise<Grant> {
    const current = await this.deps.store.get(request.callId);
    const problem = leaseProblem(current, request, this.now());
    if (problem || !current) throw problem ?? unknownGrant(request);
    return grantView(current);
  }

  /** A recorder or writer cannot go on (storage failed): the grant is revoked and Graph hears `failed`. */
  async revokeByRecorder(request: LeaseRequest & { reason: string }): Promise<Grant> {
    const current = await this.deps.store.get(request.callId);
    if (!current || current.grantId !== request.grantId) throw unknownGrant(request);
    const revoked = await this.revoke(request.callId, request.grantId, request.reason, request.recorder ?? current.recorder, true);
    if (!revoked) throw leaseEnded(current, this.now());
    return grantView(revoked);
  }

  /**
   * A policy-based recording invitation signaling handed over: answered at once (Graph's limit is 5 s) with the
   * configured participant capacity. Recording then starts as the recorder asks for a grant.
   */
  async answerInvitation(invitation: { callId: string; tenantId?: string; observedParticipantId?: string; policyId?: string }): Promise<void> {
    const capacity = this.deps.settings.participantCapacity ?? 1;
    const media = this.deps.settings.policyMedia ?? 'appHosted';
    let result: { ok: boolean; code?: number; message?: string } = { ok: true };
    try {
      await this.deps.signaling.answer(invitation.callId, capacity, media);
    } catch (error) {
      if (!isApiFailure(error) || error.status >= 500) throw error;
      result = { ok: false, code: error.status, message: error.message };
    }
    await this.deps.audit.append({
      auditId: `${invitation.callId}:invitation-answered`,
      action: 'invitation-answered',
      actor: 'policy',
      callId: invitation.callId,
      ...(invitation.tenantId ? { tenantId: invitation.tenantId } : {}),
      result,
      reason: `policy ${invitation.policyId ?? 'unknown'}, observed participant ${invitation.observedParticipantId ?? 'unknown'}, participantCapacity ${capacity}, ${media} media`,
    });
  }

  /**
   * A call came up. If it is a policy-recorded call with app-hosted media, recording starts as the policy requires:
   * the pod hosting it is asked to record the whole call, and asks this service for the grant (so Graph hears
   * `recording` before any byte is kept). No pod answering yet (its media session starts just after) throws, and the
   * event is delivered again; a pod that cannot record applies the tenant's failure policy. A refused grant has
   * already been handled where it was refused.
   */
  async onEstablished(callId: string): Promise<void> {
    const recorders = this.deps.recorders;
    if (!recorders || (this.deps.settings.policyMedia ?? 'appHosted') !== 'appHosted') return;
    const call = await this.deps.signaling.call(callId);
    if (!call?.policyRecorded || call.state !== 'established') return;
    const answer = await recorders.recordCall(callId);
    if (!answer.ok && answer.error === 'not-configured') {
      await this.applyFailurePolicy({ callId, ...(call.tenantId ? { tenantId: call.tenantId } : {}) }, `the media pod cannot record: ${answer.message}`);
    }
  }

  /** Another user under the policy joined a recorded call: what Graph was answered goes into the audit trail. */
  async onParticipantJoining(event: CallEventOf<'participant-joining'>): Promise<void> {
    const who = [event.observedParticipantId, event.user?.id && `user ${event.user.id}`].filter(Boolean).join(', ');
    await this.deps.audit.append({
      auditId: event.eventId,
      action: 'participant-joining',
      actor: 'graph',
      callId: event.callId,
      ...(event.tenantId ? { tenantId: event.tenantId } : {}),
      result: { ok: event.answer === 'accepted' },
      reason: `${who} under policy ${event.policyId ?? 'unknown'}: ${event.answer}${event.reason ? ` (${event.reason})` : ''}`,
    });
  }

  /** Signaling reported the outcome of a status request this service made. */
  async onStatusOutcome(outcome: StatusOutcome): Promise<void> {
    const { grantId, status } = outcome;
    await this.deps.audit.append({
      auditId: `${grantId}:status:${status}:result`,
      action: 'status-result',
      actor: 'graph',
      callId: outcome.callId,
      ...(outcome.tenantId ? { tenantId: outcome.tenantId } : {}),
      grantId,
      status,
      ...(outcome.operationId ? { operationId: outcome.operationId } : {}),
      result: {
        ok: outcome.ok,
        ...(outcome.code !== undefined ? { code: outcome.code } : {}),
        ...(outcome.subcode !== undefined ? { subcode: outcome.subcode } : {}),
        ...(outcome.message ? { message: outcome.message } : {}),
      },
    });
    if (status !== 'recording') return;
    if (!outcome.ok) {
      await this.revoke(outcome.callId, grantId, `Graph did not accept recording: ${outcome.message ?? `code ${outcome.code ?? 'unknown'}`}`, 'graph', true);
      return;
    }
    const granted = await this.deps.store.change<GrantRecord | undefined>(outcome.callId, (current) => {
      if (!current || current.grantId !== grantId || current.state !== 'pending') return { keep: undefined };
      const active: GrantRecord = this.owing(
        { ...current, state: 'active', expiresAt: this.now() + this.deps.settings.leaseMs },
        { auditId: `${grantId}:granted`, action: 'granted', actor: 'graph', ...(outcome.operationId ? { operationId: outcome.operationId } : {}) },
      );
      return { write: active, result: active };
    });
    if (!granted) return;
    await this.settleAudit(granted);
    await this.publish('granted', granted);
  }

  /**
   * The call ended. A grant still waiting for Graph is revoked. An active one is not cut off: what its writers
   * recorded while the call was up was recorded lawfully, and a message or the call's last seconds are typically
   * committed just after the hang-up. Its lease is shortened to the grace period and can no longer be renewed; the
   * writers stop it, or the sweep revokes it when the grace ends. Graph takes no status for an ended call.
   */
  async onCallEnded(callId: string): Promise<void> {
    const now = this.now();
    const graceMs = this.deps.settings.callEndGraceMs ?? DEFAULT_CALL_END_GRACE_MS;
    const ending = await this.deps.store.change<GrantRecord | undefined>(callId, (current) => {
      if (!current || current.state !== 'active' || current.callEnded) return { keep: undefined };
      const expiresAt = Math.min(current.expiresAt ?? now, now + graceMs);
      const ended: GrantRecord = this.owing(
        { ...current, callEnded: true, expiresAt },
        { auditId: `${current.grantId}:call-ended`, action: 'call-ended', actor: 'call-end', reason: `writers may commit until ${new Date(expiresAt).toISOString()}` },
      );
      return { write: ended, result: ended };
    });
    if (ending) {
      await this.settleAudit(ending);
      return;
    }
    await this.revoke(callId, undefined, 'the call ended', 'call-end', false);
  }

  /**
   * Revokes expired leases and grants Graph never answered; safe to run on every replica at once. Resolves once each
   * is revoked and audited. Only then do they ask signaling for `failed` and the failure policy, side by side: each such
   * request may wait out its timeout, and must hold up no other grant's revocation, nor the next sweep.
   */
  async sweep(): Promise<Sweep> {
    const now = this.now();
    let revoked = 0;
    const owed: (() => Promise<void>)[] = [];
    for (const grant of await this.deps.store.all()) {
      const expired = grant.state === 'active' && (grant.expiresAt ?? 0) <= now;
      const unanswered = grant.state === 'pending' && Date.parse(grant.requestedAt) + this.deps.settings.pendingTimeoutMs <= now;
      if (!expired && !unanswered) {
        await this.settleAudit(grant); // what an earlier write still owes the trail
        continue;
      }
      const reason = grant.callEnded ? 'the call ended' : expired ? 'the lease expired without renewal' : 'Graph did not answer the recording status in time';
      const actor = grant.callEnded ? 'call-end' : 'lease-expiry';
      const ended = await this.endGrant(grant.callId, grant.grantId, reason, actor);
      if (!ended) continue;
      revoked += 1;
      if (!grant.callEnded) owed.push(() => this.afterRevocation(ended, reason, actor));
    }
    const followUps = Promise.allSettled(owed.map((step) => this.sweepSignaling(step))).then((steps) => steps.flatMap((s) => (s.status === 'rejected' ? [s.reason] : [])));
    return { revoked, followUps };
  }

  /** Ends an open grant (the given one, or whichever the call has); undefined when there was none to end. */
  private async revoke(callId: string, grantId: string | undefined, reason: string, actor: string, sendFailed: boolean): Promise<GrantRecord | undefined> {
    const revoked = await this.endGrant(callId, grantId, reason, actor);
    if (revoked && sendFailed) await this.afterRevocation(revoked, reason, actor);
    return revoked;
  }

  /** The compare-and-set that revokes (so one revoker wins), its audit record and event; nothing asked of signaling. */
  private async endGrant(callId: string, grantId: string | undefined, reason: string, actor: string): Promise<GrantRecord | undefined> {
    const revoked = await this.deps.store.change<GrantRecord | undefined>(callId, (current) => {
      if (!current || (grantId !== undefined && current.grantId !== grantId) || !isOpen(current)) return { keep: undefined };
      const ended: GrantRecord = this.owing({ ...current, state: 'revoked', reason }, { auditId: `${current.grantId}:revoked`, action: 'revoked', actor, reason });
      delete ended.expiresAt;
      return { write: ended, result: ended };
    });
    if (!revoked) return undefined;
    await this.settleAudit(revoked);
    await this.publish('revoked', revoked);
    return revoked;
  }

  /** A revocation of a call still up: Graph hears `failed`, then the tenant's failure policy applies. */
  private async afterRevocation(revoked: GrantRecord, reason: string, actor: string): Promise<void> {
    await this.sendStatus(revoked, 'failed', actor);
    await this.applyFailurePolicy(revoked, reason);
  }

  /**
   * A policy-recorded call that cannot be recorded: the tenant's policy decides whether the recorder leaves (ending
   * the recorded user's call, as Teams does for a required recorder) or stays and alerts. Other calls' recorders
   * decide for themselves. The outcome is audited and published as `recording-failed` either way.
   */
  private async applyFailurePolicy(grant: Pick<GrantRecord, 'callId' | 'tenantId'> & { grantId?: string }, reason: string): Promise<void> {
    // Signaling unreachable or the call unknown to it: nothing to leave, and no sign that a policy applies.
    const call = await this.deps.signaling.call(grant.callId).catch(() => undefined);
    if (!call?.policyRecorded) return;
    const action = (this.deps.failurePolicy ?? LEAVE).actionFor(grant.tenantId);
    let result: { ok: boolean; code?: number; message?: string } = { ok: true };
    if (action === 'leave' && call.state !== 'terminated') {
      try {
        await this.deps.signaling.hangUp(grant.callId);
      } catch (error) {
        result = isApiFailure(error) ? { ok: false, code: error.status, message: error.message } : { ok: false, message: (error as Error).message };
      }
    }
    const where = { callId: grant.callId, ...(grant.tenantId ? { tenantId: grant.tenantId } : {}), ...(grant.grantId ? { grantId: grant.grantId } : {}) };
    await this.deps.audit.append({ ...where, auditId: `${grant.grantId ?? grant.callId}:failure-policy`, action: 'failure-policy-applied', actor: 'policy', reason: `${action}: ${reason}`, result });
    await this.deps.events.publish({ type: 'recording-failed', at: new Date(this.now()).toISOString(), ...where, reason, action });
  }

  /** Asks signaling for the status once per (grant, status); a refusal ends a grant still waiting for `recording`. */
  private async sendStatus(grant: GrantRecord, status: RecordingStatusValue, actor: string): Promise<void> {
    const clientContext = statusClientContext(grant.grantId, status);
    await this.audit(grant, { auditId: `${grant.grantId}:status:${status}:requested`, action: 'status-requested', actor, status });
    await this.deps.store.change(grant.callId, (current) =>
      current?.grantId === grant.grantId && !current.statusesSent.includes(status) ? { write: { ...current, statusesSent: [...current.statusesSent, status] }, result: undefined } : { keep: undefined },
    );
    try {
      await this.deps.signaling.updateRecordingStatus(grant.callId, status, clientContext);
    } catch (error) {
      const refusal = isApiFailure(error) ? error : failure(503, 'SignalingUnavailable', `signaling did not take the status request: ${(error as Error).message}`);
      await this.onStatusOutcome({ grantId: grant.grantId, callId: grant.callId, ...(grant.tenantId ? { tenantId: grant.tenantId } : {}), status, ok: false, code: refusal.status, message: refusal.message });
    }
  }

  private async awaitOutcome(grant: GrantRecord, waitMs: number): Promise<Grant> {
    const deadline = this.now() + waitMs;
    for (;;) {
      const current = await this.deps.store.get(grant.callId);
      if (!current || current.grantId !== grant.grantId) throw failure(409, 'GrantReplaced', `grant ${grant.grantId} of call ${grant.callId} is no longer the call's grant`);
      if (current.state === 'active') return grantView(current);
      if (current.state !== 'pending') throw failure(409, 'NotGranted', `recording was not granted: ${current.reason ?? current.state}`);
      if (this.now() >= deadline) return grantView(current);
      await new Promise((resolve) => setTimeout(resolve, this.deps.settings.pollMs ?? 25));
    }
  }

  private async refuseLease(request: LeaseRequest, refusal: ApiFailure): Promise<never> {
    // A lease found expired before the sweeper saw it is revoked now, so `failed` is not delayed (none after the call ended).
    if (refusal.code === 'LeaseExpired') {
      const ended = (await this.deps.store.get(request.callId))?.callEnded === true;
      await this.revoke(request.callId, request.grantId, ended ? 'the call ended' : 'the lease expired without renewal', ended ? 'call-end' : 'lease-expiry', !ended);
    }
    return this.refuse({ callId: request.callId, actor: request.recorder ?? 'recorder', grantId: request.grantId }, refusal);
  }

  private async refuse(where: { callId: string; actor: string; tenantId?: string; grantId?: string }, refusal: ApiFailure): Promise<never> {
    await this.deps.audit.append({
      auditId: randomUUID(),
      action: 'refused',
      actor: where.actor,
      callId: where.callId,
      ...(where.tenantId ? { tenantId: where.tenantId } : {}),
      ...(where.grantId ? { grantId: where.grantId } : {}),
      result: { ok: false, code: refusal.status },
      reason: `${refusal.code}: ${refusal.message}`,
    });
    throw refusal;
  }

  private audit(grant: GrantRecord, entry: AuditDraft): Promise<void> {
    return this.deps.audit.append(auditEntry(grant, entry));
  }

  /** `grant` owing `entry` to the audit trail, besides what it (or `carried`, an earlier grant's) owed before. */
  private owing(grant: GrantRecord, entry: AuditDraft, carried = grant.unaudited): GrantRecord {
    return { ...grant, unaudited: [...(carried ?? []), auditEntry(grant, entry)] };
  }

  /**
   * Appends what `grant` owes the audit trail, in order, then takes it out of the record. An entry appended twice
   * (the sweep and the request that wrote it, both after a failure) is stored once: its audit id is the message id.
   */
  private async settleAudit(grant: GrantRecord): Promise<void> {
    const owed = grant.unaudited ?? [];
    if (owed.length === 0) return;
    for (const entry of owed) await this.deps.audit.append(entry);
    const appended = new Set(owed.map((e) => e.auditId));
    await this.deps.store.change(grant.callId, (current) => {
      const owedNow = current?.unaudited ?? [];
      const left = owedNow.filter((e) => !appended.has(e.auditId));
      if (!current || left.length === owedNow.length) return { keep: undefined };
      const settled: GrantRecord = { ...current, unaudited: left };
      if (left.length === 0) delete settled.unaudited;
      return { write: settled, result: undefined };
    });
  }

  private publish(type: 'granted' | 'renewed' | 'stopped' | 'revoked', grant: GrantRecord): Promise<void> {
    return this.deps.events.publish({ type, at: new Date(this.now()).toISOString(), grant: grantView(grant) });
  }
}

type AuditDraft = Omit<AuditEntry, 'callId' | 'tenantId' | 'grantId'>;

const auditEntry = (grant: GrantRecord, entry: AuditDraft): AuditEntry => ({
  ...entry,
  callId: grant.callId,
  ...(grant.tenantId ? { tenantId: grant.tenantId } : {}),
  grantId: grant.grantId,
});

const LEAVE = new RecordingFailurePolicy('leave');
const DEFAULT_CALL_END_GRACE_MS = 30_000;
const SWEEP_SIGNALING_CONCURRENCY = 16;

/** Runs tasks at most `limit` at a time, the others queued in order. */
function limiter(limit: number): (task: () => Promise<void>) => Promise<void> {
  let running = 0;
  const queued: (() => void)[] = [];
  return async (task) => {
    if (running < limit) running += 1;
    else await new Promise<void>((go) => queued.push(go)); // a finishing task hands its slot over
    try {
      await task();
    } finally {
      const next = queued.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

const unknownGrant = (request: LeaseRequest): ApiFailure =>
  failure(404, 'UnknownGrant', `call ${request.callId} has no grant ${request.grantId}: start a grant first`);

function leaseEnded(grant: GrantRecord, now: number): ApiFailure {
  if (grant.state === 'active' && (grant.expiresAt ?? 0) <= now) return failure(410, 'LeaseExpired', `the lease of grant ${grant.grantId} expired`);
  if (grant.state === 'pending') return failure(409, 'GrantPending', `grant ${grant.grantId} waits for Graph to accept the recording status`);
  return failure(410, 'GrantEnded', `grant ${grant.grantId} is ${grant.state}${grant.reason ? `: ${grant.reason}` : ''}`);
}

function leaseProblem(current: GrantRecord | undefined, request: LeaseRequest, now: number): LeaseProblem {
  if (!current || current.grantId !== request.grantId) return unknownGrant(request);
  return isLive(current, now) ? undefined : leaseEnded(current, now);
}
