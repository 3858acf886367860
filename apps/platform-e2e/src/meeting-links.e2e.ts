import { E2eHarness } from './support/harness';
import { MeetingsClient } from './support/meetings-client';

jest.setTimeout(120_000);

const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OID = '4b1d0a9e-2c3f-4e5a-9b8c-7d6e5f4a3b2c';
const THREAD = '19%3ameeting_ZDk4YTY1NjItNjI0Yi00ZWQxLWI0YTctNmQ1NDY3ZTIxM2Fm%40thread.v2';
const context = (fields: Record<string, unknown> = { Tid: TID, Oid: OID }) => encodeURIComponent(JSON.stringify(fields));
const meetup = (host = 'teams.microsoft.com', thread = THREAD, message = '0', ctx = context()) => `https://${host}/l/meetup-join/${thread}/${message}?context=${ctx}`;
const launcher = (inner: string) =>
  `https://teams.microsoft.com/dl/launcher/launcher.html?url=${encodeURIComponent(`/_#${new URL(inner).pathname}${new URL(inner).search}`)}&type=meetup-join&deeplinkId=2b1c&directDl=true&msLaunch=true&enableMobilePage=true&suppressPrompt=true`;
const safeLinks = (inner: string) => `https://nam12.safelinks.protection.outlook.com/?url=${encodeURIComponent(inner)}&data=05%7C02%7Cx&sdata=abc&reserved=0`;

/** Join links in the forms Teams, Outlook and browsers hand out, and what the API answers to each. */
const valid: [string, string][] = [
  ['meetup-join, context encoded once (Outlook invitation)', meetup()],
  ['meetup-join, context not encoded (copied from a browser bar)', `https://teams.microsoft.com/l/meetup-join/${THREAD}/0?context={"Tid":"${TID}","Oid":"${OID}"}`],
  ['meetup-join, path and context encoded twice (forwarded mail)', meetup('teams.microsoft.com', encodeURIComponent(THREAD), '0', encodeURIComponent(context()))],
  ['channel meeting: thread.tacv2 and a reply-chain MessageId', meetup('teams.microsoft.com', '19%3a9f7c0e6e2a4c4b0a8f1d2e3c4b5a6978%40thread.tacv2', '1700000000000', context({ Tid: TID, Oid: OID, MessageId: '1700000000000' }))],
  ['MessageId as a number', meetup('teams.microsoft.com', THREAD, '0', context({ Tid: TID, Oid: OID, MessageId: 1700000000001 }))],
  ['extra context fields (IsBroadcastMeeting)', meetup('teams.microsoft.com', THREAD, '0', context({ Tid: TID, Oid: OID, IsBroadcastMeeting: false }))],
  ['upper-case GUIDs', meetup('teams.microsoft.com', THREAD, '0', context({ Tid: TID.toUpperCase(), Oid: OID.toUpperCase() }))],
  ['32-hex ids without dashes', meetup('teams.microsoft.com', THREAD, '0', context({ Tid: TID.replace(/-/g, ''), Oid: OID.replace(/-/g, '') }))],
  ['the newer teams.cloud.microsoft host', meetup('teams.cloud.microsoft')],
  ['GCC High (teams.microsoft.us)', meetup('teams.microsoft.us')],
  ['GCC High (gov.teams.microsoft.us)', meetup('gov.teams.microsoft.us')],
  ['DoD (dod.teams.microsoft.us)', meetup('dod.teams.microsoft.us')],
  ['the web client route after the hash', `https://teams.microsoft.com/_#/l/meetup-join/${THREAD}/0?context=${context()}`],
  ['the Teams launcher wrapper', launcher(meetup())],
  ['a Safe Links wrapper', safeLinks(meetup())],
  ['Safe Links around the launcher', safeLinks(launcher(meetup()))],
  ['surrounding whitespace', `  ${meetup()}\n`],
  ['a short link with its passcode', 'https://teams.microsoft.com/meet/123456789012?p=Ab3dE9'],
  ['a short link without a passcode', 'https://teams.microsoft.com/meet/9876543210'],
  ['a short link with a trailing slash and more parameters', 'https://teams.microsoft.com/meet/123456789012/?p=Ab3dE9&anon=true'],
  ['a short link in Safe Links', safeLinks('https://teams.microsoft.com/meet/123456789012?p=Ab3dE9')],
];

const invalid: [string, string, RegExp][] = [
  ['plain http', meetup().replace('https:', 'http:'), /must use https, not http/],
  ['a Teams (free) link', 'https://teams.live.com/meet/9312345678901?p=abcdEFG', /teams.live.com hosts Teams \(free\) meetings/],
  ['another product (Zoom)', 'https://us02web.zoom.us/j/81234567890?pwd=abc', /us02web.zoom.us is not a Teams host/],
  ['not a URL at all', 'Teams meeting tomorrow at 10', /is not a URL/],
  ['no context', meetup().replace(/\?context=.*/, ''), /has no context parameter/],
  ['a context without the tenant', meetup('teams.microsoft.com', THREAD, '0', context({ Oid: OID })), /context has no Tid \(tenant id\)/],
  ['a context without the organizer', meetup('teams.microsoft.com', THREAD, '0', context({ Tid: TID })), /context has no Oid \(organizer id\)/],
  ['a tenant that is not a GUID', meetup('teams.microsoft.com', THREAD, '0', context({ Tid: 'contoso.com', Oid: OID })), /context Tid is not a GUID/],
  ['a context that is not JSON', meetup('teams.microsoft.com', THREAD, '0', 'Tid=abc'), /context parameter is not JSON/],
  ['a link cut off inside the context', meetup().slice(0, meetup().indexOf('context=') + 30), /context parameter is not JSON/],
  ['a link cut off before the message id', `https://teams.microsoft.com/l/meetup-join/${THREAD}`, /message id after the thread id must be digits/],
  ['a thread id that is not a meeting thread', meetup('teams.microsoft.com', 'general'), /thread id must look like 19:meeting_/],
  ['a broken percent-encoding', meetup('teams.microsoft.com', '19%3meeting_x%40thread.v2'), /broken percent-encoding/],
  ['a chat link, not a meeting', 'https://teams.microsoft.com/l/chat/0/0?users=ada@contoso.com', /neither \/l\/meetup-join\/… nor \/meet\/…/],
  ['Safe Links without the url', 'https://nam12.safelinks.protection.outlook.com/?data=05%7C02', /Safe Links wrapper .* has no url parameter/],
  ['a short link without the meeting id', 'https://teams.microsoft.com/meet/?p=abc', /has no meeting id after \/meet\//],
  ['a short link whose id is not digits', 'https://teams.microsoft.com/meet/abc-def?p=abc', /join meeting id is 6 to 20 digits/],
  ['a passcode with symbols', 'https://teams.microsoft.com/meet/123456789012?p=a%26b!c', /passcode is 1 to 64 letters or digits/],
];

describe('join links through the REST API', () => {
  let h: E2eHarness;
  let api: MeetingsClient;
  const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString();

  beforeAll(async () => {
    h = await E2eHarness.start({ services: ['meeting-join'] });
    api = await MeetingsClient.start(h);
  }, 120_000);
  afterAll(async () => h?.stop());

  it('has a corpus of at least 30 links', () => expect(valid.length + invalid.length).toBeGreaterThanOrEqual(30));

  // Scheduled for tomorrow, then cancelled: each is accepted and stored, and no bot joins anything.
  it.each(valid)('accepts %s', async (_name, joinUrl) => {
    const res = await api.send<{ id: string; state: string }>('POST', '/v1/meetings/joins', { joinUrl, at: tomorrow });
    expect({ status: res.status, state: res.body.state }).toEqual({ status: 202, state: 'scheduled' });
    expect((await api.send('DELETE', `/v1/meetings/joins/${res.body.id}`)).status).toBe(202);
  });

  it.each(invalid)('refuses %s with 400 naming what is wrong', async (_name, joinUrl, message) => {
    const res = await api.send<{ statusCode: number; code: string; message: string }>('POST', '/v1/meetings/joins', { joinUrl });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, code: 'InvalidRequest', message: expect.stringMatching(/^invalid body: joinUrl: /) });
    expect(res.body.message).toMatch(message);
  });

  it('refuses a guest without a name and an unknown field, and a request without a token', async () => {
    expect((await api.send<{ message: string }>('POST', '/v1/meetings/joins', { joinUrl: meetup(), as: 'guest' })).body.message).toMatch(/displayName: a guest needs a displayName/);
    expect((await api.send('POST', '/v1/meetings/joins', { joinUrl: meetup(), room: 'A' })).status).toBe(400);
    const anonymous = await h.emulator.http.send('POST', `${h.platform.services[0]?.httpUrl}/v1/meetings/joins`, { joinUrl: meetup() });
    expect(anonymous.status).toBe(401);
  });
});
