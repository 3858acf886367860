import { serviceHostedMedia, type CreateCallRequest, type InvitationParticipantInfo } from '@switchboard/graph-models';
import type { CallTarget, PlaceCallBody } from '@switchboard/nats-contracts';
import type { Party } from '../orchestration/call-record';

/** The API's compact targets as Graph identity sets (contract §3: `user`, `phone` `{id:"+E164"}`, `application`). */
export function invitationFor(target: CallTarget, replacesCallId?: string): InvitationParticipantInfo {
  const party = partyOf(target);
  return {
    '@odata.type': '#microsoft.graph.invitationParticipantInfo',
    identity: {
      '@odata.type': '#microsoft.graph.identitySet',
      [party.kind]: { '@odata.type': '#microsoft.graph.identity', id: party.id, ...(party.displayName ? { displayName: party.displayName } : {}) },
    },
    ...(replacesCallId ? { replacesCallId } : {}),
  };
}

export function partyOf(target: CallTarget): Party & { kind: 'user' | 'phone' | 'application' } {
  if (target.phone !== undefined) return { kind: 'phone', id: target.phone };
  const [kind, entity] = target.user ? (['user', target.user] as const) : (['application', target.application] as const);
  return { kind, id: entity?.id, ...(entity?.displayName ? { displayName: entity.displayName } : {}) };
}

/** A service-hosted audio call to the body's target(s); Graph reports on it at `callbackUri`. */
export function createCallRequest(body: PlaceCallBody, settings: { callbackUri: string; tenantId: string }): CreateCallRequest {
  const targets = body.targets ?? (body.target ? [body.target] : []);
  const instance = body.source?.applicationInstance;
  return {
    '@odata.type': '#microsoft.graph.call',
    callbackUri: settings.callbackUri,
    targets: targets.map((t) => invitationFor(t)),
    requestedModalities: ['audio'],
    mediaConfig: serviceHostedMedia(),
    tenantId: settings.tenantId,
    ...(body.subject ? { subject: body.subject } : {}),
    ...(instance
      ? {
          source: {
            '@odata.type': '#microsoft.graph.participantInfo',
            identity: {
              '@odata.type': '#microsoft.graph.identitySet',
              applicationInstance: { '@odata.type': '#microsoft.graph.identity', id: instance.id, ...(instance.displayName ? { displayName: instance.displayName } : {}) },
            },
          },
        }
      : {}),
  };
}
