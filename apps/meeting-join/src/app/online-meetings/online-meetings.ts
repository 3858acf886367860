import type { OnlineMeetingsClient } from '@switchboard/graph-client';
import { failure, fromGraph } from '@switchboard/api-auth';
import { parseJoinLink, type OnlineMeeting } from '@switchboard/graph-models';
import { z } from 'zod';

const dateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

/** `POST /v1/online-meetings`: a meeting organized by `organizerId` (a user the app's access policy covers). */
export const createMeetingBodySchema = z
  .strictObject({
    organizerId: z.string().min(1).max(128),
    subject: z.string().max(256).optional(),
    startDateTime: dateTime.optional(),
    endDateTime: dateTime.optional(),
    lobbyBypass: z.enum(['organizer', 'organization', 'organizationAndFederated', 'everyone', 'invited', 'organizationExcludingGuests']).optional(),
    isPasscodeRequired: z.boolean().optional(),
  })
  .refine((m) => !m.startDateTime || !m.endDateTime || Date.parse(m.startDateTime) < Date.parse(m.endDateTime), {
    message: 'endDateTime must be after startDateTime',
    path: ['endDateTime'],
  });
export type CreateMeetingBody = z.infer<typeof createMeetingBodySchema>;

/** `GET /v1/online-meetings?…`: by join link, by meeting id (with its organizer), or by video-teleconference id. */
export const findMeetingQuerySchema = z
  .strictObject({
    joinUrl: z.string().min(1).max(8192).optional(),
    meetingId: z.string().regex(/^[\d\s]{6,30}$/, 'must be the meeting id Teams shows (digits)').optional(),
    vtcId: z.string().regex(/^\d{1,20}$/, 'must be a video-teleconference id (digits)').optional(),
    organizerId: z.string().min(1).max(128).optional(),
  })
  .refine((q) => [q.joinUrl, q.meetingId, q.vtcId].filter((v) => v !== undefined).length === 1, { message: 'give exactly one of joinUrl, meetingId or vtcId', path: [] });
export type FindMeetingQuery = z.infer<typeof findMeetingQuerySchema>;

/**
 * Online meetings through Graph, from meeting-join directly: they are not call actions (contract §4.3). Graph looks
 * meetings up per organizer; a meetup-join link names its organizer (Oid), a meeting id or short link needs it given.
 */
export class OnlineMeetings {
  constructor(private readonly client: OnlineMeetingsClient) {}

  async create(body: CreateMeetingBody): Promise<OnlineMeeting> {
    const { organizerId, lobbyBypass, isPasscodeRequired, ...rest } = body;
    return this.graph(() =>
      this.client.createOnlineMeeting(organizerId, {
        ...rest,
        ...(lobbyBypass ? { lobbyBypassSettings: { scope: lobbyBypass } } : {}),
        ...(isPasscodeRequired !== undefined ? { joinMeetingIdSettings: { isPasscodeRequired } } : {}),
      }),
    );
  }

  /** The meeting, or a 404 saying which look-up found nothing. */
  async find(query: FindMeetingQuery): Promise<OnlineMeeting> {
    const found = await this.graph(() => this.lookUp(query));
    if (!found) throw failure(404, 'MeetingNotFound', `no online meeting matches that ${query.joinUrl ? 'joinUrl' : query.meetingId ? 'meetingId' : 'vtcId'}`);
    return found;
  }

  private lookUp(query: FindMeetingQuery): Promise<OnlineMeeting | undefined> {
    if (query.vtcId !== undefined) return this.client.findOnlineMeetingByVideoTeleconferenceId(query.vtcId);
    if (query.meetingId !== undefined) return this.client.findOnlineMeetingByJoinMeetingId(organizerOf(query), query.meetingId.replace(/\s+/g, ''));
    return this.client.findOnlineMeetingByJoinWebUrl(organizerOf(query), query.joinUrl ?? '');
  }

  private async graph<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw fromGraph(error);
    }
  }
}

/** The organizer Graph looks the meeting up under: given, or the meetup-join link's Oid. */
function organizerOf(query: FindMeetingQuery): string {
  if (query.organizerId) return query.organizerId;
  if (query.joinUrl) {
    try {
      const info = parseJoinLink(query.joinUrl).target.meetingInfo;
      const oid = info['@odata.type'] === '#microsoft.graph.organizerMeetingInfo' ? info.organizer.user?.id : undefined;
      if (oid) return oid;
    } catch (error) {
      throw failure(400, 'InvalidRequest', `invalid query: joinUrl: ${(error as Error).message}`);
    }
  }
  throw failure(400, 'InvalidRequest', 'invalid query: organizerId: a meeting id or short link names no organizer; give organizerId');
}
