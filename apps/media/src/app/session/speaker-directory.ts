import type { MediaSpeaker } from '@switchboard/nats-contracts';

export interface RosterParticipant {
  id: string;
  displayName?: string;
  /** The participant's media source ids (MSIs): audio, video, screen sharing. */
  sourceIds: readonly number[];
}

/**
 * One call's MSI → participant map, from the roster signaling publishes (`participants-updated`). A frame names
 * its speaker by MSI only; every event and per-speaker stream the pod produces names the participant through this.
 * An MSI not (yet) in the roster is reported by MSI alone.
 */
export class SpeakerDirectory {
  private readonly byMsi = new Map<number, MediaSpeaker>();
  private readonly byParticipant = new Map<string, RosterParticipant>();

  /** Replaces the roster (each update lists everyone in the call). */
  update(participants: readonly RosterParticipant[]): void {
    this.byMsi.clear();
    this.byParticipant.clear();
    for (const p of participants) {
      this.byParticipant.set(p.id, p);
      for (const msi of p.sourceIds) {
        this.byMsi.set(msi, { msi, participantId: p.id, ...(p.displayName !== undefined ? { displayName: p.displayName } : {}) });
      }
    }
  }

  speaker(msi: number): MediaSpeaker {
    return this.byMsi.get(msi) ?? { msi };
  }

  /** Everyone in the roster now (recording metadata). */
  participants(): { id: string; displayName?: string }[] {
    return [...this.byParticipant.values()].map((p) => ({ id: p.id, ...(p.displayName !== undefined ? { displayName: p.displayName } : {}) }));
  }

  /** The MSIs of a participant (empty when the roster does not name them). */
  sourcesOf(participantId: string): readonly number[] {
    return this.byParticipant.get(participantId)?.sourceIds ?? [];
  }
}
