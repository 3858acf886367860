import { acceptJoin, inviteNewBot, rejectJoin, type ParticipantJoiningResponse } from '@switchboard/graph-models';
import type { CallRecord } from '../orchestration/call-record';
import { COMPLIANCE_APP } from './policy-recording';

/** What signaling answered a participantJoiningNotification, in the words of the `participant-joining` event. */
export type JoinAnswer = 'accepted' | 'rejected' | 'invite-new-bot';

/**
 * The answer to another user joining a policy-recorded call, given in the webhook's response (Graph waits for it):
 * a live call recording-compliance answered takes the user; a call whose media pod was lost cannot record more, so
 * Graph is asked to invite a new recorder instance (a new call, placed on a pod that runs); anything else is refused.
 * Graph itself sends these only up to the answer's `participantCapacity`.
 */
export function participantJoiningAnswer(record: CallRecord | undefined): { answer: ParticipantJoiningResponse; reason?: string } {
  if (!record || record.state === 'terminated') return { answer: rejectJoin('none'), reason: 'the call is not known or has ended' };
  if (record.handler.kind !== 'app' || record.handler.app !== COMPLIANCE_APP) return { answer: rejectJoin('forbidden'), reason: 'the call is not a policy-based recording' };
  if (record.media?.lost) return { answer: inviteNewBot(), reason: `the call's media pod was lost: ${record.media.lost}` };
  return { answer: acceptJoin() };
}

export function joinAnswerOf(answer: ParticipantJoiningResponse): JoinAnswer {
  switch (answer['@odata.type']) {
    case '#microsoft.graph.acceptJoinResponse':
      return 'accepted';
    case '#microsoft.graph.rejectJoinResponse':
      return 'rejected';
    case '#microsoft.graph.inviteNewBotResponse':
      return 'invite-new-bot';
  }
}
