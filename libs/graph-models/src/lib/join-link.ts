import { identitySet } from './builders';
import type { ChatInfo, MeetingInfo } from './meeting';

/**
 * What a create-call request needs to join a meeting (contract §4.1). A join by meeting id has no `chatInfo`:
 * Graph's `joinMeetingIdMeetingInfo` examples send none.
 */
export interface JoinTarget {
  chatInfo?: ChatInfo;
  meetingInfo: MeetingInfo;
  /** The meeting's tenant (`Tid`); short links and meeting ids do not carry one. */
  tenantId?: string;
}

/**
 * The Microsoft cloud a meeting lives in, told by its link's host. GCC tenants use the commercial hosts and
 * endpoints, so their links read as `global`, which is also where their calls go.
 */
export type TeamsCloud = 'global' | 'gccHigh' | 'dod';

/** Where a bot in each cloud calls Graph and gets its tokens (learn.microsoft.com/graph/deployments). */
export const cloudEndpoints: Record<TeamsCloud, { graphBaseUrl: string; authorityHost: string }> = {
  global: { graphBaseUrl: 'https://graph.microsoft.com/v1.0', authorityHost: 'https://login.microsoftonline.com' },
  gccHigh: { graphBaseUrl: 'https://graph.microsoft.us/v1.0', authorityHost: 'https://login.microsoftonline.us' },
  dod: { graphBaseUrl: 'https://dod-graph.microsoft.us/v1.0', authorityHost: 'https://login.microsoftonline.us' },
};

/** A join link read: the join target, and the cloud whose Graph endpoint must place the call. */
export interface JoinLink {
  target: JoinTarget;
  cloud: TeamsCloud;
}

export type JoinLinkProblem =
  | 'notString'
  | 'tooLong'
  | 'notUrl'
  | 'notHttps'
  | 'consumerMeeting'
  | 'unknownHost'
  | 'wrapperWithoutUrl'
  | 'tooManyWrappers'
  | 'notMeetingLink'
  | 'threadIdMalformed'
  | 'messageIdMalformed'
  | 'missingContext'
  | 'contextNotJson'
  | 'contextMissingIds'
  | 'contextIdMalformed'
  | 'shortLinkWithoutId'
  | 'meetingIdMalformed'
  | 'passcodeMalformed';

/**
 * A join link that cannot become a join target. The message names what is wrong; it never repeats the
 * link's query, because that carries the meeting passcode.
 */
export class JoinLinkError extends Error {
  constructor(
    readonly problem: JoinLinkProblem,
    message: string,
  ) {
    super(message);
    this.name = 'JoinLinkError';
  }
}

const maxLinkLength = 8192;
/** Safe Links or the Teams launcher may wrap a link; real links nest at most twice. */
const maxUnwraps = 3;
/** Times a path segment is decoded at most: once as sent, again for each time mail encoded it over. */
const maxDecodes = 3;

/**
 * Hosts of Teams for work and their cloud: commercial (and GCC), the newer `teams.cloud.microsoft` domain,
 * GCC High (`teams.microsoft.us`, `gov.teams.microsoft.us`) and DoD. Graph can only join meetings of these;
 * `teams.live.com` is Teams (free), refused with its own message.
 */
const teamsHosts = new Map<string, TeamsCloud>([
  ['teams.microsoft.com', 'global'],
  ['teams.cloud.microsoft', 'global'],
  ['teams.microsoft.us', 'gccHigh'],
  ['gov.teams.microsoft.us', 'gccHigh'],
  ['dod.teams.microsoft.us', 'dod'],
]);
const consumerHosts = new Set(['teams.live.com']);
const safeLinksHost = /^[a-z0-9-]+\.safelinks\.protection\.(?:outlook\.com|office365\.us)$/;

const threadIdPattern = /^19:[^\s/@]+@thread\.(?:v2|tacv2|skype)$/;
const messageIdPattern = /^\d+$/;
const guidPattern = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;
const meetingIdPattern = /^\d{6,20}$/;
const passcodePattern = /^[A-Za-z0-9]{1,64}$/;

/**
 * Turns a Teams join link into `chatInfo` + `meetingInfo` (+ `tenantId`) for `POST /communications/calls`, and
 * the cloud it belongs to. Reads `…/l/meetup-join/<thread>/<message>?context={Tid,Oid,MessageId?}` (encoded once,
 * twice or not at all), the web client's `…/_#/l/meetup-join/…`, short links `…/meet/<joinMeetingId>?p=<passcode>`,
 * and any of them wrapped by Safe Links or the Teams launcher.
 * @throws JoinLinkError naming what is wrong.
 */
export function parseJoinLink(link: string): JoinLink {
  if (typeof link !== 'string') throw new JoinLinkError('notString', 'a join link must be a string');
  if (link.length > maxLinkLength) {
    throw new JoinLinkError('tooLong', `a join link is at most ${maxLinkLength} characters; this one has ${link.length}`);
  }
  let url = toUrl(link.trim());
  for (let unwraps = 0; ; unwraps++) {
    const inner = unwrap(url);
    if (!inner) break;
    if (unwraps === maxUnwraps) {
      throw new JoinLinkError('tooManyWrappers', `the join link is wrapped more than ${maxUnwraps} times`);
    }
    url = inner;
  }
  return readTeamsLink(url);
}

/** The join target for a meeting id and passcode as Teams shows them ("Meeting ID: 123 456 789 012"). */
export function joinTargetFromMeetingId(joinMeetingId: string, passcode?: string | null): JoinTarget {
  const id = typeof joinMeetingId === 'string' ? joinMeetingId.replace(/\s+/g, '') : '';
  if (!meetingIdPattern.test(id)) {
    throw new JoinLinkError('meetingIdMalformed', 'a join meeting id is 6 to 20 digits (spaces allowed)');
  }
  const code = passcode?.trim() || null;
  if (code !== null && !passcodePattern.test(code)) {
    throw new JoinLinkError('passcodeMalformed', 'a meeting passcode is 1 to 64 letters or digits');
  }
  return { meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: id, passcode: code } };
}

function toUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new JoinLinkError('notUrl', 'the join link is not a URL');
  }
  if (url.protocol !== 'https:') {
    throw new JoinLinkError('notHttps', `a join link must use https, not ${url.protocol.replace(/:$/, '')}`);
  }
  return url;
}

/** The link inside a Safe Links or Teams launcher wrapper, or undefined when `url` is not a wrapper. */
function unwrap(url: URL): URL | undefined {
  const host = url.hostname.toLowerCase();
  if (safeLinksHost.test(host)) {
    const inner = url.searchParams.get('url');
    if (!inner) throw new JoinLinkError('wrapperWithoutUrl', `the Safe Links wrapper (${host}) has no url parameter`);
    return toUrl(inner);
  }
  if (teamsHosts.has(host) && /^\/dl\/launcher\/launcher\.html$/i.test(url.pathname)) {
    // The launcher carries the app route as `/_#/l/meetup-join/…` or `/_#/meet/…`, relative to its own host.
    const inner = url.searchParams.get('url');
    if (!inner) throw new JoinLinkError('wrapperWithoutUrl', 'the Teams launcher link has no url parameter');
    return toUrl(`${url.origin}${inner.replace(/^\/_#/, '')}`);
  }
  return undefined;
}

function readTeamsLink(link: URL): JoinLink {
  const host = link.hostname.toLowerCase();
  if (consumerHosts.has(host)) {
    throw new JoinLinkError('consumerMeeting', `${host} hosts Teams (free) meetings, which Graph calls cannot join`);
  }
  const cloud = teamsHosts.get(host);
  if (!cloud) {
    throw new JoinLinkError('unknownHost', `${host} is not a Teams host (expected one of ${[...teamsHosts.keys()].join(', ')})`);
  }
  const url = webClientRoute(link);
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const meetup = segments.findIndex((s, i) => s.toLowerCase() === 'meetup-join' && segments[i - 1]?.toLowerCase() === 'l');
  if (meetup >= 0) return { target: readMeetupJoin(segments.slice(meetup + 1), url.searchParams), cloud };
  if (segments[0]?.toLowerCase() === 'meet') return { target: readShortLink(segments.slice(1), url.searchParams), cloud };
  throw new JoinLinkError('notMeetingLink', `${url.pathname} is neither /l/meetup-join/… nor /meet/…`);
}

/** The web client writes its route after the hash (`/_#/l/meetup-join/…`); read it as the path it stands for. */
function webClientRoute(url: URL): URL {
  if (!/^\/(?:_)?$/.test(url.pathname) || !url.hash.startsWith('#/')) return url;
  return toUrl(`${url.origin}${url.hash.slice(1)}`);
}

function readMeetupJoin(segments: string[], query: URLSearchParams): JoinTarget {
  const thread = segments[0] === undefined ? undefined : decodeSegment(segments[0], 'threadIdMalformed');
  const message = segments[1] === undefined ? undefined : decodeSegment(segments[1], 'messageIdMalformed');
  if (!thread || !threadIdPattern.test(thread)) {
    throw new JoinLinkError('threadIdMalformed', `the thread id must look like 19:meeting_…@thread.v2, got "${thread ?? ''}"`);
  }
  if (!message || !messageIdPattern.test(message)) {
    throw new JoinLinkError('messageIdMalformed', `the message id after the thread id must be digits, got "${message ?? ''}"`);
  }
  const context = readContext(query.get('context'));
  return {
    chatInfo: {
      '@odata.type': '#microsoft.graph.chatInfo',
      threadId: thread,
      messageId: message,
      ...(context.MessageId ? { replyChainMessageId: context.MessageId } : {}),
    },
    meetingInfo: {
      '@odata.type': '#microsoft.graph.organizerMeetingInfo',
      organizer: identitySet('user', { id: context.Oid, tenantId: context.Tid }),
      allowConversationWithoutHost: true,
    },
    tenantId: context.Tid,
  };
}

/** Decodes a path segment, again while it still holds an escape: links copied through mail arrive encoded twice (`19%253ameeting_…`). */
function decodeSegment(segment: string, problem: JoinLinkProblem): string {
  let decoded = segment;
  try {
    for (let round = 0; round < maxDecodes && /%[0-9a-f]{2}/i.test(decoded); round++) decoded = decodeURIComponent(decoded);
    return decoded;
  } catch {
    throw new JoinLinkError(problem, `the join link path segment "${segment}" has a broken percent-encoding`);
  }
}

interface LinkContext {
  Tid: string;
  Oid: string;
  MessageId?: string;
}

function readContext(raw: string | null): LinkContext {
  if (!raw) throw new JoinLinkError('missingContext', 'the meetup-join link has no context parameter (it carries Tid and Oid)');
  let parsed: unknown;
  try {
    // Links that passed through a mail client once too often arrive encoded twice (`%7b%22Tid…`).
    parsed = JSON.parse(/^%7b/i.test(raw) ? decodeURIComponent(raw) : raw);
  } catch {
    throw new JoinLinkError('contextNotJson', 'the context parameter is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new JoinLinkError('contextNotJson', 'the context parameter is not a JSON object');
  }
  const context = parsed as Record<string, unknown>;
  const replyChain = context['MessageId'];
  return {
    Tid: contextGuid(context, 'Tid'),
    Oid: contextGuid(context, 'Oid'),
    // Channel meetings name the post that started them; Teams writes it as a string or a number.
    ...(typeof replyChain === 'string' || typeof replyChain === 'number' ? { MessageId: String(replyChain) } : {}),
  };
}

function contextGuid(context: Record<string, unknown>, name: 'Tid' | 'Oid'): string {
  const value = context[name];
  if (typeof value !== 'string' || value === '') {
    throw new JoinLinkError('contextMissingIds', `the context has no ${name} (${name === 'Tid' ? 'tenant' : 'organizer'} id)`);
  }
  if (!guidPattern.test(value)) throw new JoinLinkError('contextIdMalformed', `the context ${name} is not a GUID`);
  return value;
}

function readShortLink(segments: string[], query: URLSearchParams): JoinTarget {
  const id = segments[0] ? decodeSegment(segments[0], 'meetingIdMalformed') : '';
  if (!id) throw new JoinLinkError('shortLinkWithoutId', 'the /meet/ link has no meeting id after /meet/');
  return joinTargetFromMeetingId(id, query.get('p'));
}
