import roster from '../fixtures/roster.json';
import { deltaParticipantsSchema, participantSchema } from './participant';

describe('participantSchema', () => {
  it('reads a roster entry with mediaStreams (sourceId is the MSI)', () => {
    const p = participantSchema.parse(roster.value[0].resourceData[0]);
    expect(p.mediaStreams).toEqual([
      { mediaType: 'audio', label: 'main-audio', sourceId: '1', direction: 'sendReceive', serverMuted: false },
      { mediaType: 'video', label: 'main-video', sourceId: '2', direction: 'receiveOnly', serverMuted: false },
    ]);
    expect(p.info?.identity?.user?.displayName).toBe('Alex Caller');
    expect(p.metadata).toBeNull();
    expect(p.isInLobby).toBe(false);
  });

  it('reads recordingInfo and a rosterSequenceNumber sent as a string', () => {
    const p = participantSchema.parse({ id: 'p1', recordingInfo: { recordingStatus: 'recording' }, rosterSequenceNumber: '12' });
    expect(p.recordingInfo?.recordingStatus).toBe('recording');
    expect(p.rosterSequenceNumber).toBe(12);
  });

  it('reads an invitee not joined yet (id null), and refuses an empty id, an unknown mediaType or an unknown recording status', () => {
    expect(participantSchema.parse({ id: null, info: {} }).id).toBeNull();
    expect(participantSchema.safeParse({ id: '' }).error!.issues[0].path).toEqual(['id']);
    expect(participantSchema.safeParse({ id: 'p', mediaStreams: [{ mediaType: 'hologram' }] }).error!.issues[0].path).toEqual([
      'mediaStreams',
      0,
      'mediaType',
    ]);
    expect(participantSchema.safeParse({ id: 'p', recordingInfo: { recordingStatus: 'paused' } }).success).toBe(false);
  });

  it('reads a delta roster', () => {
    const delta = deltaParticipantsSchema.parse({
      '@odata.type': '#microsoft.graph.deltaParticipants',
      sequenceNumber: 3,
      participants: [{ id: 'p1', removedState: { reason: 'left' } }],
    });
    expect(delta.sequenceNumber).toBe(3);
    expect(delta.participants[0].removedState?.reason).toBe('left');
    expect(deltaParticipantsSchema.safeParse({ sequenceNumber: 3 }).success).toBe(false);
  });
});
