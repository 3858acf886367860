import { readNotification, type CommsNotification } from '@switchboard/graph-models';
import type { CallRecord } from '../orchestration/call-record';
import { reduceCall } from '../orchestration/call-reducer';
import { participantJoiningAnswer } from './participant-joining';
import { testReduceContext } from '../orchestration/reduce-context.testing';

const callId = '7c2e0b00-1a2b-4c3d-8e9f-0123456789ab';
const ctx = testReduceContext;

/** A policy-recorded call recording-compliance answered, established. */
function recordedCall(overrides: Partial<CallRecord> = {}): CallRecord {
  const invite: CommsNotification = {
    changeType: 'created',
    resourceUrl: `/communications/calls/${callId}`,
    resourceData: {
      '@odata.type': '#microsoft.graph.call',
      state: 'incoming',
      source: { identity: { user: { id: 'u-first' } } },
      incomingContext: { observedParticipantId: 'p-first' },
      applicationMetadata: { botData: { inviteReasons: ['PolicyBasedRecording'], policyIdentifier: 'tag:Bank' } },
    },
  };
  const created = reduceCall(undefined, { kind: 'facts', facts: readNotification(invite) }, ctx);
  if (created.kind !== 'changed') throw new Error('no call');
  return { ...created.record, state: 'established', outbox: [], ...overrides };
}

const joining = (observedParticipantId: string): CommsNotification => ({
  changeType: 'created',
  resourceUrl: `/communications/calls/${callId}`,
  resourceData: {
    '@odata.type': '#microsoft.graph.participantJoiningNotification',
    call: {
      '@odata.type': '#microsoft.graph.call',
      incomingContext: { observedParticipantId },
      applicationMetadata: { botData: { user: { id: 'u-second', displayName: 'Bo' }, policyIdentifier: 'tag:Bank', inviteReasons: ['PolicyBasedRecording'] } },
    },
  },
});

describe('a user joining a policy-recorded call', () => {
  it("answers a policy invitation placed on a media pod with the app's participant capacity", () => {
    const incoming = recordedCall({ state: 'incoming' });
    const result = reduceCall(incoming, { kind: 'media-placed', requestId: 'media-placed', pod: 'media-0', mediaCallId: callId, blob: 'blob-1', participantCapacity: 3 }, ctx);
    if (result.kind !== 'changed') throw new Error(`expected a change, got ${result.kind}`);
    expect(result.record.outbox.find((i) => i.action.kind === 'answer')?.action).toEqual({ kind: 'answer', media: { blob: 'blob-1' }, participantCapacity: 3 });
  });

  it('is accepted into a live recorded call, sent to a new bot when the media pod was lost, refused otherwise', () => {
    expect(participantJoiningAnswer(recordedCall()).answer).toEqual({ '@odata.type': '#microsoft.graph.acceptJoinResponse' });
    expect(participantJoiningAnswer(recordedCall({ media: { pod: 'media-0', mediaCallId: callId, lost: 'heartbeat expired' } })).answer['@odata.type']).toBe('#microsoft.graph.inviteNewBotResponse');
    expect(participantJoiningAnswer(recordedCall({ handler: { kind: 'flow', flowId: 'front-desk' } })).answer).toEqual({ '@odata.type': '#microsoft.graph.rejectJoinResponse', reason: 'forbidden' });
    expect(participantJoiningAnswer(recordedCall({ state: 'terminated' })).answer).toEqual({ '@odata.type': '#microsoft.graph.rejectJoinResponse', reason: 'none' });
    expect(participantJoiningAnswer(undefined).answer).toEqual({ '@odata.type': '#microsoft.graph.rejectJoinResponse', reason: 'none' });
  });

  it('is reported once with the answer Graph got, the user and the policy', () => {
    const answer = { '@odata.type': '#microsoft.graph.rejectJoinResponse' as const, reason: 'busy' as const };
    const result = reduceCall(recordedCall(), { kind: 'facts', facts: readNotification(joining('p-second')), joinAnswer: answer }, ctx);
    if (result.kind !== 'changed') throw new Error(`expected a change, got ${result.kind}`);
    const events = result.record.outbox.flatMap((i) => (i.action.kind === 'publish' ? [i.action.event] : []));
    expect(events).toEqual([
      expect.objectContaining({ type: 'participant-joining', observedParticipantId: 'p-second', user: { id: 'u-second', displayName: 'Bo' }, policyId: 'tag:Bank', answer: 'rejected', reason: 'busy' }),
    ]);
    // The same notification delivered again changes nothing.
    expect(reduceCall(result.record, { kind: 'facts', facts: readNotification(joining('p-second')), joinAnswer: answer }, ctx).kind).toBe('unchanged');
  });
});
