import type { Logger } from 'pino';
import { isParticipantJoiningItem, resourceDataItems } from '@switchboard/graph-models';
import type { CallRecord } from '../orchestration/call-record';
import { participantJoiningAnswer } from '../flows/participant-joining';
import type { Routed } from './notification-intake';

/**
 * Decides the webhook's answer to each participantJoiningNotification of a batch from the call's record as stored
 * (one read, only for such notifications; every other notification passes untouched). The answer is stored with the
 * notification, so the call's reducer reports the same answer Graph got.
 */
export class ParticipantJoiningAnswers {
  constructor(
    private readonly calls: { get(callId: string): Promise<{ record: CallRecord } | undefined> },
    private readonly logger: Pick<Logger, 'info'>,
  ) {}

  async answer(routed: Routed[]): Promise<Routed[]> {
    // The webhook's hot path: a batch without such a notification (nearly every one) goes on as it is.
    if (!routed.some(isJoining)) return routed;
    return Promise.all(
      routed.map(async (r) => {
        if (!isJoining(r)) return r;
        const { answer, reason } = participantJoiningAnswer((await this.calls.get(r.callId))?.record);
        this.logger.info({ callId: r.callId, answer: answer['@odata.type'], ...(reason ? { reason } : {}) }, 'participant joining a policy-recorded call answered');
        return { ...r, answer };
      }),
    );
  }
}

const isJoining = (r: Routed): boolean => resourceDataItems(r.notification).some(isParticipantJoiningItem);
