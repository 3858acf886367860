import { createCallRequestSchema } from './requests';
import { cloudEndpoints, JoinLinkError, joinTargetFromMeetingId, parseJoinLink, type JoinLinkProblem } from './join-link';

const tid = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const oid = '5810cede-f3cc-42eb-b2c1-e9bd5d53ec96';
const thread = '19:meeting_NjQ4ZWEyOTEtMDg1Yi00NmEyLWE4MzAtYzE2ZGJmNDZiNGE0@thread.v2';
const context = (value: object) => encodeURIComponent(JSON.stringify(value));
const encodedLink = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread)}/0?context=${context({ Tid: tid, Oid: oid })}`;

/** The join target every organizer link in these tests names (contract §4.1). */
const expected = () => ({
  chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId: thread, messageId: '0' },
  meetingInfo: {
    '@odata.type': '#microsoft.graph.organizerMeetingInfo',
    organizer: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: oid, tenantId: tid } },
    allowConversationWithoutHost: true,
  },
  tenantId: tid,
});

function problemOf(run: () => unknown): { problem: JoinLinkProblem; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(JoinLinkError);
    const e = error as JoinLinkError;
    return { problem: e.problem, message: e.message };
  }
  throw new Error('expected a JoinLinkError');
}

describe('parseJoinLink: meetup-join links', () => {
  it('reads the URL-encoded form (contract §4.1)', () => {
    expect(parseJoinLink(encodedLink)).toEqual({ target: expected(), cloud: 'global' });
  });

  it('reads the lower-case %7b encoding Teams writes', () => {
    const link =
      'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ4ZWEyOTEtMDg1Yi00NmEyLWE4MzAtYzE2ZGJmNDZiNGE0%40thread.v2/0' +
      `?context=%7b%22Tid%22%3a%22${tid}%22%2c%22Oid%22%3a%22${oid}%22%7d`;
    expect(parseJoinLink(link).target).toEqual(expected());
  });

  it('reads the unencoded form, with surrounding whitespace and extra parameters', () => {
    const link = `  https://teams.microsoft.com/l/meetup-join/${thread}/0?context={"Tid":"${tid}","Oid":"${oid}"}&anon=true  `;
    expect(parseJoinLink(link).target).toEqual(expected());
  });

  it('reads a context that was encoded twice', () => {
    const twice = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread)}/0?context=${encodeURIComponent(context({ Tid: tid, Oid: oid }))}`;
    expect(parseJoinLink(twice).target).toEqual(expected());
  });

  it('takes MessageId from the context as the reply chain (channel meetings)', () => {
    const link = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread)}/1603989489345?context=${context({
      Tid: tid,
      Oid: oid,
      MessageId: '1603989489345',
    })}`;
    const { target } = parseJoinLink(link);
    expect(target.chatInfo).toEqual({ '@odata.type': '#microsoft.graph.chatInfo', threadId: thread, messageId: '1603989489345', replyChainMessageId: '1603989489345' });
  });

  it.each([
    ['teams.cloud.microsoft', 'global', 'https://graph.microsoft.com/v1.0'],
    ['TEAMS.MICROSOFT.COM', 'global', 'https://graph.microsoft.com/v1.0'],
    ['teams.microsoft.us', 'gccHigh', 'https://graph.microsoft.us/v1.0'],
    ['gov.teams.microsoft.us', 'gccHigh', 'https://graph.microsoft.us/v1.0'],
    ['dod.teams.microsoft.us', 'dod', 'https://dod-graph.microsoft.us/v1.0'],
  ] as const)('accepts the %s host as the %s cloud, whose Graph is %s', (host, cloud, graphBaseUrl) => {
    const link = parseJoinLink(encodedLink.replace('teams.microsoft.com', host));
    expect(link).toEqual({ target: expected(), cloud });
    expect(cloudEndpoints[link.cloud].graphBaseUrl).toBe(graphBaseUrl);
  });

  it('reads a path encoded twice', () => {
    const twice = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(encodeURIComponent(thread))}/0?context=${encodeURIComponent(context({ Tid: tid, Oid: oid }))}`;
    expect(twice).toContain('19%253Ameeting_');
    expect(parseJoinLink(twice).target).toEqual(expected());
  });

  it('reads the web client form /_#/l/meetup-join/…, encoded or not', () => {
    expect(parseJoinLink(`https://teams.microsoft.com/_#/l/meetup-join/${encodeURIComponent(thread)}/0?context=${context({ Tid: tid, Oid: oid })}`).target).toEqual(expected());
    expect(parseJoinLink(`https://gov.teams.microsoft.us/_#/l/meetup-join/${thread}/0?context={"Tid":"${tid}","Oid":"${oid}"}`)).toEqual({ target: expected(), cloud: 'gccHigh' });
  });

  it('unwraps a Safe Links wrapper', () => {
    const wrapped = `https://nam12.safelinks.protection.outlook.com/?url=${encodeURIComponent(encodedLink)}&data=05%7C01&reserved=0`;
    expect(parseJoinLink(wrapped).target).toEqual(expected());
  });

  it('unwraps the Teams launcher', () => {
    const route = `/_#/l/meetup-join/${encodeURIComponent(thread)}/0?context=${context({ Tid: tid, Oid: oid })}`;
    const launcher = `https://teams.microsoft.com/dl/launcher/launcher.html?url=${encodeURIComponent(route)}&type=meetup-join&directDl=true`;
    expect(parseJoinLink(launcher).target).toEqual(expected());
  });

  it('builds a body that the create-call schema accepts', () => {
    const { target } = parseJoinLink(encodedLink);
    const body = {
      callbackUri: 'https://bot.example.test/api/calling',
      requestedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
      ...target,
    };
    expect(createCallRequestSchema.parse(body)).toMatchObject(target);
  });
});

describe('parseJoinLink: short links and meeting ids', () => {
  it('reads /meet/<id>?p=<passcode> into an empty chatInfo and joinMeetingIdMeetingInfo', () => {
    expect(parseJoinLink('https://teams.microsoft.com/meet/2414128301281?p=NzhDLMLT8b07DrkwkE').target).toEqual({
      meetingInfo: {
        '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo',
        joinMeetingId: '2414128301281',
        passcode: 'NzhDLMLT8b07DrkwkE',
      },
    });
  });

  it('reads a short link without passcode as passcode null', () => {
    expect(parseJoinLink('https://teams.microsoft.com/meet/2414128301281').target.meetingInfo).toMatchObject({ passcode: null });
  });

  it('reads a short link behind the launcher', () => {
    const launcher = `https://teams.microsoft.com/dl/launcher/launcher.html?url=${encodeURIComponent('/_#/meet/2414128301281?p=abc123&anon=true')}`;
    expect(parseJoinLink(launcher).target.meetingInfo).toMatchObject({ joinMeetingId: '2414128301281', passcode: 'abc123' });
  });

  it('builds the target for a meeting id as Teams prints it', () => {
    expect(joinTargetFromMeetingId('241 412 830 128', ' abc123 ')).toEqual({
      meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '241412830128', passcode: 'abc123' },
    });
    expect(joinTargetFromMeetingId('241412830128').meetingInfo).toMatchObject({ passcode: null });
    expect(joinTargetFromMeetingId('241412830128', '').meetingInfo).toMatchObject({ passcode: null });
  });

  it('refuses a malformed meeting id or passcode', () => {
    expect(problemOf(() => joinTargetFromMeetingId('12-34'))).toEqual({
      problem: 'meetingIdMalformed',
      message: 'a join meeting id is 6 to 20 digits (spaces allowed)',
    });
    expect(problemOf(() => joinTargetFromMeetingId(undefined as unknown as string)).problem).toBe('meetingIdMalformed');
    expect(problemOf(() => joinTargetFromMeetingId('241412830128', 'a b&c')).problem).toBe('passcodeMalformed');
  });
});

describe('parseJoinLink: refusals', () => {
  const withContext = (raw: string) => `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread)}/0?context=${raw}`;

  it.each<[string, unknown, JoinLinkProblem, RegExp]>([
    ['a non-string', 42, 'notString', /must be a string/],
    ['an overlong link', `https://teams.microsoft.com/meet/1?p=${'a'.repeat(9000)}`, 'tooLong', /at most 8192 characters/],
    ['plain text', 'join my meeting', 'notUrl', /not a URL/],
    ['an empty string', '', 'notUrl', /not a URL/],
    ['http', encodedLink.replace('https:', 'http:'), 'notHttps', /must use https, not http$/],
    ['a Teams (free) link', 'https://teams.live.com/meet/9384756102?p=abc', 'consumerMeeting', /teams\.live\.com hosts Teams \(free\)/],
    ['another host', encodedLink.replace('teams.microsoft.com', 'teams.example.com'), 'unknownHost', /^teams\.example\.com is not a Teams host/],
    ['a look-alike host', encodedLink.replace('teams.microsoft.com', 'teams.microsoft.com.evil.test'), 'unknownHost', /not a Teams host/],
    ['another Teams path', 'https://teams.microsoft.com/l/chat/0/0?users=a', 'notMeetingLink', /^\/l\/chat\/0\/0 is neither/],
    ['a missing thread id', 'https://teams.microsoft.com/l/meetup-join/', 'threadIdMalformed', /got ""/],
    ['a malformed thread id', encodedLink.replace(encodeURIComponent(thread), 'meeting_X'), 'threadIdMalformed', /19:meeting_…@thread\.v2, got "meeting_X"/],
    ['a broken percent-encoding', encodedLink.replace(encodeURIComponent(thread), '19%3ameeting_X%ZZ'), 'threadIdMalformed', /broken percent-encoding/],
    ['a missing message id', `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread)}?context=${context({ Tid: tid, Oid: oid })}`, 'messageIdMalformed', /must be digits, got ""/],
    ['a malformed message id', encodedLink.replace('/0?', '/zero?'), 'messageIdMalformed', /got "zero"/],
    ['a missing context', encodedLink.replace(/\?context=.*$/, ''), 'missingContext', /no context parameter/],
    ['a context that is not JSON', withContext('%7bTid%3a'), 'contextNotJson', /not JSON$/],
    ['a twice-encoded context that is broken', withContext('%257b%25ZZ'), 'contextNotJson', /not JSON$/],
    ['a context that is a JSON array', withContext(context([tid, oid])), 'contextNotJson', /not a JSON object/],
    ['a context without Tid', withContext(context({ Oid: oid })), 'contextMissingIds', /no Tid \(tenant id\)/],
    ['a context without Oid', withContext(context({ Tid: tid, Oid: '' })), 'contextMissingIds', /no Oid \(organizer id\)/],
    ['a context Tid that is not a GUID', withContext(context({ Tid: 'contoso', Oid: oid })), 'contextIdMalformed', /Tid is not a GUID/],
    ['a short link without id', 'https://teams.microsoft.com/meet/?p=abc', 'shortLinkWithoutId', /no meeting id/],
    ['a short link with a bad id', 'https://teams.microsoft.com/meet/abc?p=abc', 'meetingIdMalformed', /6 to 20 digits/],
    ['a Safe Links wrapper without url', 'https://eur01.safelinks.protection.outlook.com/?data=x', 'wrapperWithoutUrl', /Safe Links wrapper .* has no url/],
    ['a launcher without url', 'https://teams.microsoft.com/dl/launcher/launcher.html?type=meetup-join', 'wrapperWithoutUrl', /launcher link has no url/],
    ['a Safe Links wrapper around plain text', 'https://eur01.safelinks.protection.outlook.com/?url=hello', 'notUrl', /not a URL/],
  ])('refuses %s', (_what, link, problem, message) => {
    const error = problemOf(() => parseJoinLink(link as string));
    expect(error.problem).toBe(problem);
    expect(error.message).toMatch(message);
  });

  it('refuses links wrapped more than three times', () => {
    let link = encodedLink;
    for (let i = 0; i < 4; i++) link = `https://nam12.safelinks.protection.outlook.com/?url=${encodeURIComponent(link)}`;
    expect(problemOf(() => parseJoinLink(link)).problem).toBe('tooManyWrappers');
    link = encodedLink;
    for (let i = 0; i < 3; i++) link = `https://nam12.safelinks.protection.outlook.com/?url=${encodeURIComponent(link)}`;
    expect(parseJoinLink(link).target).toEqual(expected());
  });

  it('never repeats the passcode in its message', () => {
    const { message } = problemOf(() => parseJoinLink('https://teams.microsoft.com/meet/abc?p=SecretPass123'));
    expect(message).not.toContain('SecretPass123');
  });
});
