import { randomUUID } from 'node:crypto';
import type { IdentitySet } from '@switchboard/graph-models';
import { type CallRecord, type ParticipantRecord, type WireResultInfo, botParticipant, resultInfo } from './call-record';
import type { CallStore } from './call-store';
import { after, cancelTimer } from './call-timers';
import { conflict, notFound } from './http-kit';
import { type LobbyBypassScope, type Meeting, type MeetingDirectory, type MeetingPerson, organizerIdentity } from './meetings';
import type { Rosters } from './roster';

/**
 * How a bot's meeting call ends when the meeting turns it away. 5855 (lobby timeout) and 5001 (conversation ended)
 * are the contract's (§1.3). Graph documents no code for a bot denied entry from the lobby: the emulator reports it
 * as "removed by a participant" (200/5300), which is what denying does, and a client tells the two apart by the bot
 * having been in the lobby when it was removed.
 */
export const MEETING_ENDED = {
  lobbyTimeout: () => resultInfo(200, 5855, 'The bot waited in the lobby and was not admitted in time.'),
  denied: () => resultInfo(200, 5300, 'The bot was removed from the lobby by a participant.'),
  meetingEnded: () => resultInfo(200, 5001, 'The meeting was ended for everyone.'),
} satisfies Record<string, () => WireResultInfo>;

/** What a meeting needs from the call simulator: connecting a call and ending it. */
export interface CallHooks {
  establish(call: CallRecord): void;
  terminate(call: CallRecord, result: WireResultInfo): void;
}

/** Scopes that let a bot joining with the app's own (directory) identity bypass the lobby; guests bypass only with `everyone`. */
const appBypass: ReadonlySet<LobbyBypassScope> = new Set(['everyone', 'organization', 'organizationAndFederated', 'organizationExcludingGuests']);

/**
 * Bots' calls in known meetings: the lobby (by the meeting's lobby-bypass scope and whether the bot joins as a
 * guest), admitting and denying, meetings starting and ending, and the people in them joining, leaving, muting and
 * sharing their screen, each told to every admitted bot as a roster update.
 */
export class MeetingRooms {
  private readonly lobbyTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    readonly directory: MeetingDirectory,
    private readonly store: CallStore,
    private readonly rosters: Rosters,
    private readonly hooks: CallHooks,
    private readonly answerDelayMs: () => number,
  ) {}

  /** The bot's call enters the meeting: admitted, or waiting in the lobby (roster `isInLobby: true`, still establishing). */
  join(meeting: Meeting, call: CallRecord): void {
    meeting.callIds.add(call.id);
    const bot = botParticipant(call);
    const guest = call.source.identity?.guest;
    if (bot && guest) bot.identity = call.source.identity ?? bot.identity;
    after(call, this.answerDelayMs(), () => {
      if (call.state !== 'establishing') return;
      if (meeting.state === 'ended') return this.hooks.terminate(call, MEETING_ENDED.meetingEnded());
      if (meeting.state === 'started' && this.bypasses(meeting, call)) return this.admit(meeting, call);
      if (bot) {
        bot.inLobby = true;
        this.rosters.changed(call, [bot]);
      }
      const timer = after(call, meeting.lobbyTimeoutMs, () => this.hooks.terminate(call, MEETING_ENDED.lobbyTimeout()));
      this.lobbyTimers.set(call.id, timer);
    });
  }

  /** Someone in the meeting lets a waiting bot in. */
  admitFromLobby(meetingId: string, callId: string): void {
    const { meeting, call } = this.waiting(meetingId, callId);
    this.admit(meeting, call);
  }

  /** Someone in the meeting turns a waiting bot away. */
  deny(meetingId: string, callId: string): void {
    const { call } = this.waiting(meetingId, callId);
    this.hooks.terminate(call, MEETING_ENDED.denied());
  }

  /**
   * A meeting created through Graph for a later time starts then, as if its organizer arrived on time. Bots that join
   * before wait in the lobby until it does.
   */
  startAtItsTime(meeting: Meeting): void {
    const delay = Date.parse(meeting.startDateTime) - Date.now();
    if (meeting.state !== 'notStarted') return;
    if (delay <= 0) return void this.start(meeting.id);
    const timer = setTimeout(() => meeting.state === 'notStarted' && this.start(meeting.id), delay);
    timer.unref();
  }

  start(meetingId: string): Meeting {
    const meeting = this.directory.get(meetingId);
    if (meeting.state === 'ended') throw conflict(`Meeting '${meeting.id}' has ended.`);
    if (meeting.state === 'started') return meeting;
    meeting.state = 'started';
    this.addPerson(meeting, { id: meeting.organizer.id, identity: organizerIdentity(meeting), muted: false, sharingScreen: false });
    // Bots the scope lets in were only waiting for the meeting to start.
    for (const call of this.calls(meeting)) if (this.inLobby(call) && this.bypasses(meeting, call)) this.admit(meeting, call);
    return meeting;
  }

  /** Ended for everyone: every bot's call ends with 200/5001. */
  end(meetingId: string): Meeting {
    const meeting = this.directory.get(meetingId);
    meeting.state = 'ended';
    for (const call of this.calls(meeting)) this.hooks.terminate(call, MEETING_ENDED.meetingEnded());
    meeting.people.clear();
    return meeting;
  }

  personJoins(meetingId: string, input: { id?: string; displayName: string; muted?: boolean }): MeetingPerson {
    const meeting = this.directory.get(meetingId);
    if (meeting.state === 'ended') throw conflict(`Meeting '${meeting.id}' has ended.`);
    const id = input.id ?? randomUUID();
    if (meeting.people.has(id)) throw conflict(`Participant '${id}' is already in meeting '${meeting.id}'.`);
    const identity: IdentitySet = {
      '@odata.type': '#microsoft.graph.identitySet',
      user: { '@odata.type': '#microsoft.graph.identity', id: `user-${id}`, displayName: input.displayName, tenantId: meeting.organizer.tenantId },
    };
    return this.addPerson(meeting, { id, identity, muted: input.muted ?? false, sharingScreen: false });
  }

  personLeaves(meetingId: string, personId: string): void {
    const meeting = this.directory.get(meetingId);
    this.person(meeting, personId);
    meeting.people.delete(personId);
    for (const call of this.admitted(meeting)) {
      const entry = call.participants.get(personId);
      if (!entry) continue;
      call.participants.delete(personId);
      this.rosters.changed(call, [], [entry]);
    }
  }

  setMuted(meetingId: string, personId: string, muted: boolean): MeetingPerson {
    return this.update(meetingId, personId, (p) => (p.muted = muted), (e) => (e.serverMuted = muted));
  }

  setSharing(meetingId: string, personId: string, sharing: boolean): MeetingPerson {
    return this.update(meetingId, personId, (p) => (p.sharingScreen = sharing), (e) => (e.sharingScreen = sharing));
  }

  /** The control API's view: the meeting, who is in it and which bots wait in the lobby. */
  snapshot(meeting: Meeting): Record<string, unknown> {
    return {
      state: meeting.state,
      lobbyBypass: meeting.lobbyBypass,
      people: [...meeting.people.values()],
      calls: this.calls(meeting).map((c) => ({ callId: c.id, state: c.state, inLobby: this.inLobby(c) })),
    };
  }

  private addPerson(meeting: Meeting, person: MeetingPerson): MeetingPerson {
    meeting.people.set(person.id, person);
    for (const call of this.admitted(meeting)) this.rosters.changed(call, [this.enter(call, person)]);
    return person;
  }

  private update(meetingId: string, personId: string, onPerson: (p: MeetingPerson) => void, onEntry: (e: ParticipantRecord) => void): MeetingPerson {
    const meeting = this.directory.get(meetingId);
    const person = this.person(meeting, personId);
    onPerson(person);
    for (const call of this.admitted(meeting)) {
      const entry = call.participants.get(personId);
      if (!entry) continue;
      onEntry(entry);
      this.rosters.changed(call, [entry]);
    }
    return person;
  }

  private admit(meeting: Meeting, call: CallRecord): void {
    cancelTimer(call, this.lobbyTimers.get(call.id));
    this.lobbyTimers.delete(call.id);
    const bot = botParticipant(call);
    if (bot) bot.inLobby = false;
    for (const person of meeting.people.values()) this.enter(call, person);
    this.hooks.establish(call);
  }

  private enter(call: CallRecord, person: MeetingPerson): ParticipantRecord {
    const entry = this.rosters.add(call, person.identity, person.id);
    entry.serverMuted = person.muted;
    entry.sharingScreen = person.sharingScreen;
    return entry;
  }

  private bypasses(meeting: Meeting, call: CallRecord): boolean {
    if (meeting.lobbyBypass === 'everyone') return true;
    return !call.source.identity?.guest && appBypass.has(meeting.lobbyBypass);
  }

  private waiting(meetingId: string, callId: string): { meeting: Meeting; call: CallRecord } {
    const meeting = this.directory.get(meetingId);
    const call = this.calls(meeting).find((c) => c.id === callId.toLowerCase());
    if (!call) throw notFound(`No bot call '${callId}' in meeting '${meeting.id}'.`);
    if (!this.inLobby(call)) throw conflict(`Call '${call.id}' is not waiting in the lobby.`);
    return { meeting, call };
  }

  private person(meeting: Meeting, personId: string): MeetingPerson {
    const person = meeting.people.get(personId);
    if (!person) throw notFound(`No participant '${personId}' in meeting '${meeting.id}'.`);
    return person;
  }

  private inLobby(call: CallRecord): boolean {
    return call.state === 'establishing' && botParticipant(call)?.inLobby === true;
  }

  /** The meeting's bot calls that have not ended. */
  private calls(meeting: Meeting): CallRecord[] {
    return this.store.all().filter((c) => meeting.callIds.has(c.id) && c.state !== 'terminated');
  }

  private admitted(meeting: Meeting): CallRecord[] {
    return this.calls(meeting).filter((c) => c.state === 'established');
  }
}
