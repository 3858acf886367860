import { primaryIdentity, type NotificationFact, type Participant } from '@switchboard/graph-models';
import type { RosterParticipant } from '@switchboard/nats-contracts';

type RosterFact = Extract<NotificationFact, { type: 'participants' }>;

/** Who is in a group call or meeting, as the last roster notification left it. */
export interface CallRoster {
  participants: RosterParticipant[];
  /** The last delta roster's sequence number applied: an older or repeated delta changes nothing. */
  deltaSequence?: number;
}

export interface RosterChange {
  roster: CallRoster;
  joined: string[];
  left: string[];
  /** Someone joined, left or changed (mute, lobby, sharing); false when only the delta sequence moved on. */
  changed: boolean;
}

/**
 * Applies one roster notification (contract §1.4). A full roster replaces the one known (who is missing left),
 * unless some items could not be read: then it only updates, as a roster with holes says nothing about leavers.
 * A delta roster updates the entries it names and removes those with a `removedState`. A roster is a state, not an
 * event: the same body applied twice changes nothing, and the same body after a different one (mute, unmute, mute)
 * changes it back. Returns undefined when nothing changed.
 */
export function applyRoster(current: CallRoster | undefined, fact: RosterFact): RosterChange | undefined {
  const before = current?.participants ?? [];
  const sequence = fact.delta?.sequenceNumber ?? undefined;
  if (sequence !== undefined && current?.deltaSequence !== undefined && sequence <= current.deltaSequence) return undefined;
  const entries = new Map(before.map((p) => [p.id, p]));
  const removing = fact.changeType === 'deleted';
  if (!fact.delta && !removing && fact.complete) entries.clear();
  for (const participant of fact.participants) {
    if (!participant.id) continue; // an invitee who has not joined yet
    if (removing || participant.removedState) entries.delete(participant.id);
    else entries.set(participant.id, rosterEntry(participant, participant.id));
  }
  const after = [...entries.values()];
  const joined = after.filter((p) => !before.some((b) => b.id === p.id)).map((p) => p.id);
  const left = before.filter((b) => !entries.has(b.id)).map((b) => b.id);
  const deltaSequence = sequence ?? current?.deltaSequence;
  const roster: CallRoster = { participants: after, ...(deltaSequence !== undefined ? { deltaSequence } : {}) };
  const changed = joined.length > 0 || left.length > 0 || !after.every((p) => sameEntry(p, before.find((b) => b.id === p.id)));
  if (!changed && roster.deltaSequence === current?.deltaSequence) return undefined;
  return { roster, joined, left, changed };
}

/** A roster entry as call events carry it; `sharingScreen` when a screen-sharing (VBSS) stream sends. */
export function rosterEntry(participant: Participant, id: string): RosterParticipant {
  const primary = primaryIdentity(participant.info?.identity);
  const streams = participant.mediaStreams ?? [];
  const displayName = primary?.identity.displayName ?? undefined;
  const sourceIds = streams.map((s) => Number(s.sourceId)).filter((n) => Number.isInteger(n) && n >= 0);
  return {
    id,
    ...(displayName ? { displayName } : {}),
    ...(primary
      ? { identity: { kind: primary.kind, ...(primary.identity.id ? { id: primary.identity.id } : {}), ...(displayName ? { displayName } : {}) } }
      : {}),
    muted: participant.isMuted ?? streams.some((s) => s.mediaType === 'audio' && s.serverMuted === true),
    inLobby: participant.isInLobby ?? false,
    sharingScreen: streams.some((s) => s.mediaType === 'videoBasedScreenSharing' && (s.direction === 'sendOnly' || s.direction === 'sendReceive')),
    sourceIds,
  };
}

const sameEntry = (a: RosterParticipant, b: RosterParticipant | undefined): boolean => b !== undefined && JSON.stringify(a) === JSON.stringify(b);
