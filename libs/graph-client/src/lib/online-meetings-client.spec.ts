import { useGraphTestBed } from '../../test/graph-test-client';
import { GraphRequestError, GraphResponseError } from './errors';
import { odataString } from './online-meetings-client';

const joinWebUrl =
  "https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0?context=%7b%22Tid%22%3a%22T%22%2c%22Oid%22%3a%22O%22%7d&o'brien=1";
const meeting = { id: 'm-1', joinWebUrl, subject: 'Stand-up', videoTeleconferenceId: '123456789' };

describe('OnlineMeetingsClient', () => {
  const bed = useGraphTestBed();

  /** The `$filter` value as the server decodes it. */
  const receivedFilter = () => new URL(bed().server.graphRequests()[0].url, 'https://x').searchParams.get('$filter');

  it('creates a meeting for a user (201) and returns it parsed', async () => {
    bed().server.graph = () => ({ status: 201, body: meeting });
    const body = { subject: 'Stand-up', startDateTime: '2026-03-01T09:00:00Z', endDateTime: '2026-03-01T09:15:00Z', lobbyBypassSettings: { scope: 'everyone' as const } };
    await expect(bed().client().onlineMeetings.createOnlineMeeting('user@contoso.test', body)).resolves.toMatchObject(meeting);
    const [req] = bed().server.graphRequests();
    expect(`${req.method} ${req.url}`).toBe('POST /v1.0/users/user%40contoso.test/onlineMeetings');
    expect(JSON.parse(req.body)).toEqual(body);
  });

  it('refuses a meeting that ends before it starts, sending nothing', async () => {
    const error = await bed()
      .client()
      .onlineMeetings.createOnlineMeeting('u1', { startDateTime: '2026-03-01T10:00:00Z', endDateTime: '2026-03-01T09:00:00Z' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect((error as GraphRequestError).field).toBe('endDateTime');
    expect(bed().server.requests).toEqual([]);
  });

  it('gets a meeting by id', async () => {
    bed().server.graph = () => ({ status: 200, body: meeting });
    await expect(bed().client().onlineMeetings.getOnlineMeeting('u1', 'm/1')).resolves.toMatchObject({ id: 'm-1' });
    expect(bed().server.graphRequests()[0].url).toBe('/v1.0/users/u1/onlineMeetings/m%2F1');
  });

  it('finds by join URL with the URL quoted as an OData literal and encoded once more', async () => {
    bed().server.graph = () => ({ status: 200, body: { value: [meeting] } });
    await expect(bed().client().onlineMeetings.findOnlineMeetingByJoinWebUrl('u1', joinWebUrl)).resolves.toMatchObject({ id: 'm-1' });
    const { url } = bed().server.graphRequests()[0];
    expect(url.startsWith('/v1.0/users/u1/onlineMeetings?$filter=JoinWebUrl%20eq%20')).toBe(true);
    // Nothing of the value leaks into the query syntax: the only raw '&' or '?' would split it.
    expect(url.split('?')).toHaveLength(2);
    expect(url).not.toContain('&');
    expect(receivedFilter()).toBe(`JoinWebUrl eq '${joinWebUrl.replace("o'brien", "o''brien")}'`);
  });

  it('answers undefined when no meeting matches', async () => {
    bed().server.graph = () => ({ status: 200, body: { value: [] } });
    await expect(bed().client().onlineMeetings.findOnlineMeetingByJoinMeetingId('u1', '1234567890')).resolves.toBeUndefined();
    expect(receivedFilter()).toBe("joinMeetingIdSettings/joinMeetingId eq '1234567890'");
  });

  it('finds by video teleconference id on the app-only route', async () => {
    bed().server.graph = () => ({ status: 200, body: { value: [meeting] } });
    await expect(bed().client().onlineMeetings.findOnlineMeetingByVideoTeleconferenceId('123456789')).resolves.toMatchObject({ id: 'm-1' });
    expect(bed().server.graphRequests()[0].url).toBe('/v1.0/communications/onlineMeetings/?$filter=VideoTeleconferenceId%20eq%20%27123456789%27');
  });

  it('refuses an empty lookup value, sending nothing', async () => {
    await expect(bed().client().onlineMeetings.findOnlineMeetingByJoinWebUrl('u1', '')).rejects.toThrow(/JoinWebUrl must not be empty/);
    expect(bed().server.requests).toEqual([]);
  });

  it('reports a collection Graph did not send as such', async () => {
    bed().server.graph = () => ({ status: 200, body: meeting });
    await expect(bed().client().onlineMeetings.findOnlineMeetingByJoinMeetingId('u1', '1')).rejects.toThrow(GraphResponseError);
  });

  it('quotes OData string literals', () => {
    expect(odataString("it's")).toBe("'it''s'");
    expect(odataString('plain')).toBe("'plain'");
  });
});
