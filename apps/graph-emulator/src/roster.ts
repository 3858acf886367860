import type { IdentitySet } from '@switchboard/graph-models';
import { type CallRecord, type ParticipantRecord, newId } from './call-record';
import type { CallNotifications } from './call-notifications';

/**
 * A call's participants and the roster notifications about them (contract §1.4). Only group calls
 * and meetings get roster notifications; P2P calls keep a roster for GET /participants only.
 * Without delta roster every update is the whole roster (leavers are absent); with
 * `isDeltaRosterEnabled` an update is one `deltaParticipants` with the changed entries and an
 * increasing sequence number, and leavers carry `removedState`.
 */
export class Rosters {
  constructor(
    private readonly notify: CallNotifications,
    private readonly botIdentity: IdentitySet,
  ) {}

  addBot(call: CallRecord): ParticipantRecord {
    return this.add(call, this.botIdentity, call.myParticipantId, true);
  }

  add(call: CallRecord, identity: IdentitySet | null, id = newId(), isBot = false): ParticipantRecord {
    const sourceId = String(Math.max(0, ...[...call.participants.values()].map((p) => Number(p.sourceId))) + 1);
    const participant: ParticipantRecord = { id, identity, sourceId, serverMuted: false, onHold: false, isBot };
    call.participants.set(id, participant);
    return participant;
  }

  list(call: CallRecord): Record<string, unknown>[] {
    return [...call.participants.values()].map(participantView);
  }

  /** Tells the bot what changed: `changed` joined or were updated, `removed` left. */
  changed(call: CallRecord, changed: ParticipantRecord[], removed: ParticipantRecord[] = []): void {
    if (!call.group) return;
    if (!call.deltaRoster) return this.notify.roster(call, this.list(call));
    call.rosterSequence += 1;
    const participants = [
      ...changed.map(participantView),
      ...removed.map((p) => ({ ...participantView(p), removedState: { reason: 'removed' } })),
    ];
    this.notify.roster(call, [{ '@odata.type': '#microsoft.graph.deltaParticipants', sequenceNumber: call.rosterSequence, participants }]);
  }
}

function participantView(p: ParticipantRecord): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.participant',
    id: p.id,
    info: { '@odata.type': '#microsoft.graph.participantInfo', identity: p.identity, endpointType: 'default', languageId: 'en-US' },
    mediaStreams: [
      {
        '@odata.type': '#microsoft.graph.mediaStream',
        mediaType: 'audio',
        label: 'main-audio',
        sourceId: p.sourceId,
        direction: 'sendReceive',
        serverMuted: p.serverMuted,
      },
      ...(p.sharingScreen
        ? [{ '@odata.type': '#microsoft.graph.mediaStream', mediaType: 'videoBasedScreenSharing', label: 'applicationsharing-video', sourceId: String(Number(p.sourceId) + 1000), direction: 'sendOnly', serverMuted: false }]
        : []),
    ],
    isMuted: p.serverMuted,
    isInLobby: p.inLobby ?? false,
    metadata: null,
    ...(p.recordingStatus ? { recordingInfo: { '@odata.type': '#microsoft.graph.recordingInfo', initiator: p.identity, recordingStatus: p.recordingStatus } } : {}),
  };
}
