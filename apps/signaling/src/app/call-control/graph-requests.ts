import {
  createCallRequest as graphCreateCall,
  identitySet,
  invitationParticipant,
  participantInfo,
  type CreateCallRequest,
  type InvitationParticipantInfo,
  type MediaConfig,
} from '@switchboard/graph-models';
import { randomUUID } from 'node:crypto';
import { joinLinkOf, type CallTarget, type MeetingTarget, type PlaceCallBody } from '@switchboard/nats-contracts';
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

/**
 * An audio call (service-hosted unless `mediaConfig` says otherwise) to the body's target(s), or a join of its meeting; Graph reports on it at `callbackUri`.
 * `tenantId` is the deployment's default: a join link's own tenant (Tid) wins over it for a meeting.
 */
export function createCallRequest(body: PlaceCallBody, settings: { callbackUri: string; tenantId: string; mediaConfig?: MediaConfig }): CreateCallRequest {
  const targets = body.targets ?? (body.target ? [body.target] : []);
  const join = body.meeting ? joinLinkOf(body.meeting).target : undefined;
  const source = body.meeting ? meetingSource(body.meeting) : applicationInstanceSource(body);
  return graphCreateCall({
    callbackUri: settings.callbackUri,
    targets: targets.map((t) => invitationFor(t)),
    tenantId: callTenant(body, settings.tenantId),
    ...(join ? { join } : {}),
    ...(body.modalities ? { modalities: body.modalities } : {}),
    ...(settings.mediaConfig ? { mediaConfig: settings.mediaConfig } : {}),
    ...(body.subject ? { subject: body.subject } : {}),
    ...(source ? { source } : {}),
  });
}

/** The tenant a call is placed in: the body's, else a join link's own (Tid), else the deployment's. */
export function callTenant(body: PlaceCallBody, defaultTenant: string): string {
  return body.tenantId ?? (body.meeting ? joinLinkOf(body.meeting).target.tenantId : undefined) ?? defaultTenant;
}

function applicationInstanceSource(body: PlaceCallBody) {
  const instance = body.source?.applicationInstance;
  if (!instance) return undefined;
  return participantInfo(identitySet('applicationInstance', { id: instance.id, ...(instance.displayName ? { displayName: instance.displayName } : {}) }));
}

/**
 * A guest joins under a name of its own (the SDK's `JoinMeetingParameters.GuestIdentity{Id, DisplayName}`; the wire
 * shape `source.identity.guest` is the contract's best reading, §4.2); the app joins as itself, with no source.
 */
function meetingSource(meeting: MeetingTarget) {
  if (meeting.as !== 'guest') return undefined;
  return participantInfo(identitySet('guest', { id: randomUUID(), displayName: meeting.displayName ?? '' }));
}
