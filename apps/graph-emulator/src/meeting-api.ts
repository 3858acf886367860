import { createOnlineMeetingRequestSchema } from '@switchboard/graph-client';
import { lobbyBypassScopeSchema } from '@switchboard/graph-models';
import { z } from 'zod';
import { HttpError, Router, badRequest, notFound, parseJsonBody, readBody, sendJson } from './http-kit';
import type { MeetingRooms } from './meeting-rooms';
import { type LobbyBypassScope, type Meeting, onlineMeetingView, shortUrl } from './meetings';
import type { RequestContext } from './request-context';
import { validate } from './validation';

const scope = lobbyBypassScopeSchema.refine((s): s is LobbyBypassScope => s !== 'unknownFutureValue', 'unknownFutureValue is not a scope a meeting can have');
const newMeetingSchema = z.strictObject({
  subject: z.string().max(256).optional(),
  organizer: z.strictObject({ id: z.string().min(1).max(128).optional(), displayName: z.string().min(1).max(256).optional() }).optional(),
  lobbyBypass: scope.optional(),
  /** false: the meeting waits for `POST …/start` (the organizer starting it); bots that join before wait in the lobby. */
  started: z.boolean().optional(),
  startDateTime: z.iso.datetime({ offset: true }).optional(),
  endDateTime: z.iso.datetime({ offset: true }).optional(),
  isPasscodeRequired: z.boolean().optional(),
  lobbyTimeoutMs: z.number().int().min(1).max(3_600_000).optional(),
});
const personSchema = z.strictObject({ displayName: z.string().min(1).max(256), id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/).optional(), muted: z.boolean().optional() });
const mutedSchema = z.strictObject({ muted: z.boolean() });
const sharingSchema = z.strictObject({ sharing: z.boolean() });

/**
 * `/emulator/meetings/...`: meetings with organizers and lobby-bypass scopes, started and ended; people who join,
 * leave, mute and share their screen; admitting or denying a bot that waits in the lobby.
 */
export function registerMeetingControlApi(router: Router<RequestContext>, rooms: MeetingRooms): void {
  const json = async (ctx: RequestContext): Promise<unknown> => parseJsonBody(ctx.req, await readBody(ctx.req));
  const view = (m: Meeting) => ({ ...onlineMeetingView(m), shortUrl: shortUrl(m), token: m.token, ...rooms.snapshot(m) });

  router.on('POST', '/emulator/meetings', async (ctx) => {
    const { started, ...input } = validate(newMeetingSchema, await json(ctx));
    const meeting = rooms.directory.create({ ...input, started: false });
    if (started !== false) rooms.start(meeting.id);
    sendJson(ctx.res, 201, view(meeting));
  });
  router.on('GET', '/emulator/meetings', (ctx) => sendJson(ctx.res, 200, { value: rooms.directory.all().map(view) }));
  router.on('GET', '/emulator/meetings/:id', (ctx, { id = '' }) => sendJson(ctx.res, 200, view(rooms.directory.get(id))));
  router.on('POST', '/emulator/meetings/:id/start', (ctx, { id = '' }) => sendJson(ctx.res, 200, view(rooms.start(id))));
  router.on('POST', '/emulator/meetings/:id/end', (ctx, { id = '' }) => sendJson(ctx.res, 200, view(rooms.end(id))));
  router.on('POST', '/emulator/meetings/:id/people', async (ctx, { id = '' }) => {
    sendJson(ctx.res, 201, rooms.personJoins(id, validate(personSchema, await json(ctx))));
  });
  router.on('DELETE', '/emulator/meetings/:id/people/:pid', (ctx, { id = '', pid = '' }) => {
    rooms.personLeaves(id, pid);
    sendJson(ctx.res, 200, { participantId: pid, left: true });
  });
  router.on('POST', '/emulator/meetings/:id/people/:pid/mute', async (ctx, { id = '', pid = '' }) => {
    sendJson(ctx.res, 200, rooms.setMuted(id, pid, validate(mutedSchema, await json(ctx)).muted));
  });
  router.on('POST', '/emulator/meetings/:id/people/:pid/share', async (ctx, { id = '', pid = '' }) => {
    sendJson(ctx.res, 200, rooms.setSharing(id, pid, validate(sharingSchema, await json(ctx)).sharing));
  });
  router.on('POST', '/emulator/meetings/:id/lobby/:callId/admit', (ctx, { id = '', callId = '' }) => {
    rooms.admitFromLobby(id, callId);
    sendJson(ctx.res, 200, { callId, admitted: true });
  });
  router.on('POST', '/emulator/meetings/:id/lobby/:callId/deny', (ctx, { id = '', callId = '' }) => {
    rooms.deny(id, callId);
    sendJson(ctx.res, 200, { callId, admitted: false });
  });
}

/**
 * Graph's online meetings (contract §4.3): create for a user, get by id, and the three `$filter` look-ups, each
 * answering a collection of at most one meeting.
 */
export function registerOnlineMeetingsApi<C extends RequestContext & { body: unknown }>(router: Router<C>, rooms: MeetingRooms): void {
  const { directory } = rooms;
  const userMeetings = '/v1.0/users/:userId/onlineMeetings';
  router.on('POST', userMeetings, (ctx, { userId = '' }) => {
    const body = validate(createOnlineMeetingRequestSchema, ctx.body);
    const organizer = body.participants?.organizer?.identity?.user;
    const startsLater = body.startDateTime !== undefined && Date.parse(body.startDateTime) > Date.now();
    const meeting = directory.create({
      ...(body.subject ? { subject: body.subject } : {}),
      organizer: { id: userId, ...(organizer?.displayName ? { displayName: organizer.displayName } : {}) },
      ...(body.lobbyBypassSettings?.scope && body.lobbyBypassSettings.scope !== 'unknownFutureValue' ? { lobbyBypass: body.lobbyBypassSettings.scope } : {}),
      ...(body.startDateTime ? { startDateTime: body.startDateTime } : {}),
      ...(body.endDateTime ? { endDateTime: body.endDateTime } : {}),
      ...(body.joinMeetingIdSettings?.isPasscodeRequired !== undefined ? { isPasscodeRequired: body.joinMeetingIdSettings.isPasscodeRequired } : {}),
      started: false,
    });
    if (startsLater) rooms.startAtItsTime(meeting);
    else rooms.start(meeting.id);
    sendJson(ctx.res, 201, onlineMeetingView(meeting), { location: `${ctx.url.origin}/v1.0/users/${userId}/onlineMeetings/${meeting.id}` });
  });
  router.on('GET', `${userMeetings}/:meetingId`, (ctx, { userId = '', meetingId = '' }) => {
    const meeting = directory.get(meetingId);
    if (meeting.organizer.id !== userId) throw notFound(`No online meeting '${meetingId}' for user '${userId}'.`);
    sendJson(ctx.res, 200, onlineMeetingView(meeting));
  });
  router.on('GET', userMeetings, (ctx, { userId = '' }) => {
    const { property, value } = readFilter(ctx.url);
    const found =
      property === 'joinweburl' ? directory.byJoinWebUrl(value) : property === 'joinmeetingidsettings/joinmeetingid' ? directory.byJoinMeetingId(value) : unsupported(property);
    sendJson(ctx.res, 200, { value: found && found.organizer.id === userId ? [onlineMeetingView(found)] : [] });
  });
  router.on('GET', '/v1.0/communications/onlineMeetings', (ctx) => {
    const { property, value } = readFilter(ctx.url);
    const found = property === 'videoteleconferenceid' ? directory.byVideoTeleconferenceId(value) : unsupported(property);
    sendJson(ctx.res, 200, { value: found ? [onlineMeetingView(found)] : [] });
  });
}

/** `$filter=<property> eq '<value>'`, the one form the documented look-ups use; quotes inside are doubled. */
function readFilter(url: URL): { property: string; value: string } {
  const filter = url.searchParams.get('$filter');
  if (!filter) throw badRequest('A $filter is required to list online meetings.');
  const m = /^\s*(\S+)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
  if (!m) throw badRequest(`Invalid $filter '${filter}': expected <property> eq '<value>'.`);
  return { property: (m[1] ?? '').toLowerCase(), value: (m[2] ?? '').replace(/''/g, "'") };
}

function unsupported(property: string): never {
  throw new HttpError(400, 'BadRequest', `Filtering online meetings by '${property}' is not supported.`);
}
