import callEstablished from '../fixtures/call-established.json';
import callTerminated from '../fixtures/call-terminated.json';
import contentSharing from '../fixtures/content-sharing.json';
import incomingCall from '../fixtures/incoming-call.json';
import cancelled from '../fixtures/operation-cancelled.json';
import promptDone from '../fixtures/operation-play-prompt-completed.json';
import recordDone from '../fixtures/operation-record-completed.json';
import roster from '../fixtures/roster.json';
import tone from '../fixtures/tone.json';
import { commsNotificationsSchema, type CommsNotification } from './notifications';
import { readNotification, readNotifications } from './readers';

const callId = '421f1100-9f6e-4d7c-8c2a-2e1d6a3b4c5d';
const one = (fixture: unknown): CommsNotification => commsNotificationsSchema.parse(fixture).value[0];
const notification = (resourceUrl: string, resourceData: unknown, changeType = 'updated'): CommsNotification =>
  commsNotificationsSchema.parse({ value: [{ changeType, resourceUrl, resourceData }] }).value[0];

describe('readNotification', () => {
  it('reads an incoming call', () => {
    const [fact] = readNotification(one(incomingCall));
    expect(fact).toMatchObject({ type: 'call', callId, changeType: 'created', call: { state: 'incoming' } });
  });

  it('reads a state update from the legacy resource key', () => {
    expect(readNotification(one(callEstablished))).toEqual([
      {
        type: 'call',
        callId: '5a1f0b2c3d4e5f60718293a4b5c6d7e8',
        changeType: 'updated',
        call: { '@odata.type': '#microsoft.graph.call', state: 'established', mediaState: { audio: 'active' } },
      },
    ]);
  });

  it("reads a participantJoiningNotification as the joining user's call, whatever the type's casing", () => {
    const call = { '@odata.type': '#microsoft.graph.call', state: 'established', incomingContext: { observedParticipantId: 'user-2' } };
    const [fact] = readNotification(notification(`/communications/calls/${callId}`, { '@odata.type': '#Microsoft.Graph.ParticipantJoiningNotification', call }, 'created'));
    expect(fact).toEqual({ type: 'participantJoining', callId, changeType: 'created', call });
    const [bad] = readNotification(notification(`/communications/calls/${callId}`, { '@odata.type': '#microsoft.graph.participantJoiningNotification' }, 'created'));
    expect(bad).toMatchObject({ type: 'unrecognised', callId, reason: expect.stringMatching(/^resourceData\.call: /) });
  });

  it('reads a termination with its normalised resultInfo, and a tone', () => {
    const [ended] = readNotification(one(callTerminated));
    expect(ended).toMatchObject({ type: 'call', changeType: 'deleted', call: { resultInfo: { code: 408, subcode: 8537 } } });
    const [pressed] = readNotification(one(tone));
    expect(pressed).toMatchObject({ type: 'call', call: { toneInfo: { tone: 'tone1', sequenceId: 1 } } });
  });

  it('reports a call deleted without a body as an empty call, so the end is not lost', () => {
    expect(readNotification(notification(`/communications/calls/${callId}`, null, 'deleted'))).toEqual([
      { type: 'call', callId, changeType: 'deleted', call: {} },
    ]);
  });

  it('reads operation completions with the operation id from the URL', () => {
    expect(readNotification(one(promptDone))).toEqual([
      expect.objectContaining({
        type: 'operation',
        callId,
        operationId: '0fe0623f-d628-42ed-b4bd-8ac290072cc5',
        changeType: 'deleted',
        operation: expect.objectContaining({ kind: 'playPromptOperation', status: 'completed' }),
      }),
    ]);
    expect(readNotification(one(recordDone))[0]).toMatchObject({
      operation: { kind: 'recordOperation', recordingLocation: 'https://media.example.test/recordings/11cccef7.wav' },
    });
    expect(readNotification(one(cancelled))[0]).toMatchObject({ operation: { status: 'failed', resultInfo: { code: 400, subcode: 8508 } } });
  });

  it('reads a full roster', () => {
    const facts = readNotification(one(roster));
    expect(facts).toHaveLength(1);
    expect(facts[0]).toMatchObject({ type: 'participants', callId, complete: true });
    if (facts[0].type !== 'participants') throw new Error('expected participants');
    expect(facts[0].participants.map((p) => p.mediaStreams?.[0].sourceId)).toEqual(['1', '10']);
    expect(facts[0].delta).toBeUndefined();
  });

  it('reads an empty roster as everyone gone', () => {
    expect(readNotification(notification(`/communications/calls/${callId}/participants`, []))).toEqual([
      { type: 'participants', callId, changeType: 'updated', participants: [], complete: true },
    ]);
  });

  it('reads a delta roster with its sequence number', () => {
    const [fact] = readNotification(
      notification(`/communications/calls/${callId}/participants`, {
        '@odata.type': '#microsoft.graph.deltaParticipants',
        sequenceNumber: '7',
        participants: [{ id: 'p9', removedState: { reason: 'left' } }],
      }),
    );
    expect(fact).toMatchObject({ type: 'participants', delta: { sequenceNumber: 7 }, participants: [{ id: 'p9' }], complete: true });
  });

  it('reports roster items that fail, names their path, and marks the roster incomplete', () => {
    const facts = readNotification(
      notification(`/communications/calls/${callId}/participants`, [
        { id: 'p1' },
        { id: 'p2', mediaStreams: [{ mediaType: 'hologram' }] },
        { id: '' },
      ]),
    );
    expect(facts[0]).toMatchObject({ type: 'participants', participants: [{ id: 'p1' }], complete: false });
    expect(facts.slice(1)).toEqual([
      { type: 'unrecognised', callId, reason: expect.stringMatching(/^resourceData\[1\]\.mediaStreams\[0\]\.mediaType: /) },
      { type: 'unrecognised', callId, reason: expect.stringMatching(/^resourceData\[2\]\.id: /) },
    ]);
  });

  it('reports a bad single call item with its path and keeps other items of an array', () => {
    expect(readNotification(notification(`/communications/calls/${callId}`, { state: 'exploded' }))).toEqual([
      { type: 'unrecognised', callId, reason: expect.stringMatching(/^resourceData\.state: /) },
    ]);
    const facts = readNotification(notification(`/communications/calls/${callId}`, [{ toneInfo: { tone: 'x', sequenceId: 1 } }, { state: 'hold' }]));
    expect(facts.map((f) => f.type)).toEqual(['unrecognised', 'call']);
    expect(facts[0]).toMatchObject({ reason: expect.stringMatching(/^resourceData\[0\]\.toneInfo\.tone: /) });
  });

  it('reports an operation without a body or with a bad status', () => {
    const url = `/communications/calls/${callId}/operations/op1`;
    expect(readNotification(notification(url, null, 'deleted'))).toEqual([
      { type: 'unrecognised', callId, reason: 'operation notification has no resourceData' },
    ]);
    expect(readNotification(notification(url, { id: 'op1', status: 'done' }))[0]).toMatchObject({
      type: 'unrecognised',
      reason: expect.stringMatching(/^resourceData\.status: /),
    });
  });

  it('reports a roster without a body', () => {
    expect(readNotification(notification(`/communications/calls/${callId}/participants`, null))).toEqual([
      { type: 'unrecognised', callId, reason: 'participants notification has no resourceData' },
    ]);
  });

  it('reads content-sharing sessions and reports bad ones', () => {
    expect(readNotification(one(contentSharing))).toEqual([
      { type: 'contentSharing', callId, changeType: 'created', items: [expect.objectContaining({ id: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' })] },
    ]);
    const facts = readNotification(notification(`/communications/calls/${callId}/contentsharingsessions`, [{ id: '' }], 'deleted'));
    expect(facts).toEqual([
      { type: 'contentSharing', callId, changeType: 'deleted', items: [] },
      { type: 'unrecognised', callId, reason: expect.stringMatching(/^resourceData\[0\]\.id: /) },
    ]);
  });

  it('reports a resource that is not a call', () => {
    expect(readNotification(notification('/communications/onlineMeetings/m1', {}))).toEqual([
      { type: 'unrecognised', reason: 'resource "/communications/onlineMeetings/m1" is not a calls resource' },
    ]);
  });

  it('reads a whole batch in order', () => {
    const batch = commsNotificationsSchema.parse({ value: [...incomingCall.value, ...promptDone.value] });
    expect(readNotifications(batch).map((f) => f.type)).toEqual(['call', 'operation']);
  });
});
