import {
  createCallRequest as graphCreateCall,
  identitySet,
  invitationParticipant,
  participantInfo,
  type CreateCallRequest,
  type InvitationParticipantInfo,
  type MediaConfig,
} from '@switchboard/graph-models';
import type { CallTarget, PlaceCallBody } from '@switchboard/nats-contracts';
import type { Party } from '../orchestration/call-record';

/** The API's compact targets as Graph identity sets (contract §3: `user`, `phone` `{id:"+E164"}`, `application`). */
export function invitationFor(target: CallTarget, replacesCallId?: string): InvitationParticipantInfo {
  const { kind, id, displayName } = partyOf(target);
  return invitationParticipant(identitySet(kind, { id, ...(displayName ? { displayName } : {}) }), replacesCallId ? { replacesCallId } : {});
}

export function partyOf(target: CallTarget): Party & { kind: 'user' | 'phone' | 'application' } {
  if (target.phone !== undefined) return { kind: 'phone', id: target.phone };
  const [kind, entity] = target.user ? (['user', target.user] as const) : (['application', target.application] as const);
  return { kind, id: entity?.id, ...(entity?.displayName ? { displayName: entity.displayName } : {}) };
}

/** An audio call to the body's target(s), service-hosted unless `mediaConfig` says otherwise; Graph reports on it at `callbackUri`. */
export function createCallRequest(body: PlaceCallBody, settings: { callbackUri: string; tenantId: string; mediaConfig?: MediaConfig }): CreateCallRequest {
  const targets = body.targets ?? (body.target ? [body.target] : []);
  const instance = body.source?.applicationInstance;
  return graphCreateCall({
    callbackUri: settings.callbackUri,
    targets: targets.map((t) => invitationFor(t)),
    tenantId: settings.tenantId,
    ...(settings.mediaConfig ? { mediaConfig: settings.mediaConfig } : {}),
    ...(body.subject ? { subject: body.subject } : {}),
    ...(instance
      ? { source: participantInfo(identitySet('applicationInstance', { id: instance.id, ...(instance.displayName ? { displayName: instance.displayName } : {}) })) }
      : {}),
  });
}
