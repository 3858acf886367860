import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { parseJoinLink, type CreateCallRequest, type IdentitySet } from '@switchboard/graph-models';
import { HttpError, notFound } from './http-kit';

/** `lobbyBypassSettings.scope` (contract §4.2). */
export type LobbyBypassScope = 'organizer' | 'organization' | 'organizationAndFederated' | 'everyone' | 'invited' | 'organizationExcludingGuests';

/** Someone in a meeting besides the bots: the organizer once it starts, and people the control API adds. */
export interface MeetingPerson {
  id: string;
  identity: IdentitySet;
  muted: boolean;
  sharingScreen: boolean;
}

export interface Meeting {
  id: string;
  subject: string;
  organizer: { id: string; displayName: string; tenantId: string };
  threadId: string;
  joinMeetingId: string;
  passcode: string;
  isPasscodeRequired: boolean;
  videoTeleconferenceId: string;
  /** What an invitation notification would carry as `tokenMeetingInfo.token`. */
  token: string;
  lobbyBypass: LobbyBypassScope;
  /** `notStarted` until the organizer (or someone allowed to) starts it; `ended` for everyone once ended. */
  state: 'notStarted' | 'started' | 'ended';
  startDateTime: string;
  endDateTime: string;
  createdAt: string;
  /** How long a bot waits in the lobby before Graph drops it with 200/5855. */
  lobbyTimeoutMs: number;
  people: Map<string, MeetingPerson>;
  /** The bots' calls in this meeting, by call id. */
  callIds: Set<string>;
}

export interface NewMeeting {
  subject?: string;
  organizer?: { id?: string; displayName?: string };
  lobbyBypass?: LobbyBypassScope;
  started?: boolean;
  startDateTime?: string;
  endDateTime?: string;
  isPasscodeRequired?: boolean;
  lobbyTimeoutMs?: number;
}

const DEFAULT_LOBBY_TIMEOUT_MS = 60_000;
const HOUR_MS = 3_600_000;
const digits = (n: number): string => Array.from({ length: n }, (_, i) => String(randomInt(i === 0 ? 1 : 0, 10))).join('');
const passcodeAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** The tenant's online meetings: created through Graph or the control API, found by every id Teams hands out. */
export class MeetingDirectory {
  private readonly meetings = new Map<string, Meeting>();

  constructor(private readonly options: { tenantId: string }) {}

  create(input: NewMeeting): Meeting {
    const now = Date.now();
    const start = input.startDateTime ?? new Date(now).toISOString();
    const meeting: Meeting = {
      id: `MSo${randomBytes(24).toString('base64url')}`,
      subject: input.subject ?? 'Meeting',
      organizer: {
        id: input.organizer?.id ?? randomUUID(),
        displayName: input.organizer?.displayName ?? 'Meeting Organizer',
        tenantId: this.options.tenantId,
      },
      threadId: `19:meeting_${randomBytes(24).toString('base64url')}@thread.v2`,
      joinMeetingId: digits(12),
      passcode: Array.from({ length: 6 }, () => passcodeAlphabet[randomInt(passcodeAlphabet.length)]).join(''),
      isPasscodeRequired: input.isPasscodeRequired ?? true,
      videoTeleconferenceId: digits(10),
      token: randomBytes(32).toString('base64url'),
      lobbyBypass: input.lobbyBypass ?? 'organization',
      state: input.started === false ? 'notStarted' : 'started',
      startDateTime: start,
      endDateTime: input.endDateTime ?? new Date(Date.parse(start) + HOUR_MS).toISOString(),
      createdAt: new Date(now).toISOString(),
      lobbyTimeoutMs: input.lobbyTimeoutMs ?? DEFAULT_LOBBY_TIMEOUT_MS,
      people: new Map(),
      callIds: new Set(),
    };
    this.meetings.set(meeting.id, meeting);
    return meeting;
  }

  get(id: string): Meeting {
    const meeting = this.meetings.get(id);
    if (!meeting) throw notFound(`No online meeting '${id}'.`);
    return meeting;
  }

  all(): Meeting[] {
    return [...this.meetings.values()];
  }

  byJoinWebUrl(url: string): Meeting | undefined {
    const exact = this.all().find((m) => joinWebUrl(m) === url || shortUrl(m) === url);
    if (exact) return exact;
    try {
      const { target } = parseJoinLink(url);
      return this.forJoin({ chatInfo: target.chatInfo ?? undefined, meetingInfo: target.meetingInfo }, false);
    } catch {
      return undefined;
    }
  }

  byJoinMeetingId(id: string): Meeting | undefined {
    return this.all().find((m) => m.joinMeetingId === id.replace(/\s+/g, ''));
  }

  byVideoTeleconferenceId(id: string): Meeting | undefined {
    return this.all().find((m) => m.videoTeleconferenceId === id);
  }

  /**
   * The meeting a create-call request joins, or undefined for a meeting this emulator was not told about (it then
   * joins an ad-hoc meeting that is open to the bot). A join by meeting id names a meeting that must exist and,
   * when it needs one, the right passcode: otherwise the create is refused (404 / 403) and no call exists.
   */
  forJoin(body: Pick<CreateCallRequest, 'chatInfo' | 'meetingInfo'>, strict = true): Meeting | undefined {
    const info = body.meetingInfo;
    if (!info) return undefined;
    if (info['@odata.type'] === '#microsoft.graph.tokenMeetingInfo') return this.all().find((m) => m.token === info.token);
    if (info['@odata.type'] === '#microsoft.graph.organizerMeetingInfo') {
      const thread = body.chatInfo?.threadId?.toLowerCase();
      return thread ? this.all().find((m) => m.threadId.toLowerCase() === thread) : undefined;
    }
    const meeting = this.byJoinMeetingId(info.joinMeetingId);
    if (!strict) return meeting;
    if (!meeting) throw new HttpError(404, 'MeetingNotFound', `No meeting has the join meeting id '${info.joinMeetingId}'.`);
    if (meeting.isPasscodeRequired && info.passcode !== meeting.passcode) {
      throw new HttpError(403, 'Forbidden', `The passcode for meeting '${info.joinMeetingId}' is missing or wrong.`);
    }
    return meeting;
  }
}

/** The meetup-join link Teams hands out, its context encoded once, as in invitations. */
export function joinWebUrl(m: Meeting): string {
  const context = encodeURIComponent(JSON.stringify({ Tid: m.organizer.tenantId, Oid: m.organizer.id }));
  return `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(m.threadId)}/0?context=${context}`;
}

/** The short form newer invitations carry: `/meet/<joinMeetingId>?p=<passcode>`. */
export const shortUrl = (m: Meeting): string => `https://teams.microsoft.com/meet/${m.joinMeetingId}?p=${m.passcode}`;

export const organizerIdentity = (m: Meeting): IdentitySet => ({
  '@odata.type': '#microsoft.graph.identitySet',
  user: { '@odata.type': '#microsoft.graph.identity', id: m.organizer.id, displayName: m.organizer.displayName, tenantId: m.organizer.tenantId },
});

/** The `onlineMeeting` resource as Graph returns it (contract §4.3). */
export function onlineMeetingView(m: Meeting): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.onlineMeeting',
    id: m.id,
    creationDateTime: m.createdAt,
    startDateTime: m.startDateTime,
    endDateTime: m.endDateTime,
    subject: m.subject,
    joinWebUrl: joinWebUrl(m),
    videoTeleconferenceId: m.videoTeleconferenceId,
    allowedPresenters: 'everyone',
    chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId: m.threadId, messageId: '0', replyChainMessageId: null },
    participants: {
      organizer: { identity: organizerIdentity(m), upn: `${m.organizer.id}@emulator.local`, role: 'presenter' },
      attendees: [],
    },
    joinMeetingIdSettings: { joinMeetingId: m.joinMeetingId, passcode: m.passcode, isPasscodeRequired: m.isPasscodeRequired },
    lobbyBypassSettings: { scope: m.lobbyBypass, isDialInBypassEnabled: false },
  };
}
