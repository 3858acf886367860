import { z } from 'zod';
import { rosterParticipantSchema } from './call-events';
import { checkMeetingTarget, mediaHostingSchema, meetingTargetFields, requestedModalitiesSchema } from './meeting-target';
import type { NatsNames } from './names';

/**
 * Meeting joins: the bodies of the REST API (`/v1/meetings/joins`), the NATS commands `meetings.v1.commands.<action>`
 * and the events `meetings.v1.events.<type>`.
 */

/** When to join: now (absent), at a time, or when the meeting starts (its start looked up through online meetings). */
export const joinAtSchema = z.union([z.literal('meetingStart'), z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time or "meetingStart"' })]);

const joinRequestShape = {
  ...meetingTargetFields,
  media: mediaHostingSchema.default('serviceHosted'),
  modalities: requestedModalitiesSchema.optional(),
  at: joinAtSchema.optional(),
  /**
   * The organizer's user id, to look up a meeting named by meeting id for `at: meetingStart` (Graph finds meetings
   * per user); a join link carries it already (Oid).
   */
  organizerId: z.string().min(1).max(128).optional(),
};

type JoinRequestFields = z.output<z.ZodObject<typeof joinRequestShape>>;

function checkJoinRequest(body: JoinRequestFields, ctx: z.RefinementCtx): void {
  checkMeetingTarget(body, ctx);
  if (body.at === 'meetingStart' && body.token !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['at'], message: 'a meeting named by token has no start to look up; give a time' });
  }
  if (body.at === 'meetingStart' && body.meetingId !== undefined && body.organizerId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['organizerId'], message: 'at: meetingStart with a meetingId needs the organizerId to look the meeting up' });
  }
}

export const joinRequestSchema = z.strictObject(joinRequestShape).superRefine(checkJoinRequest);
export type JoinRequest = z.output<typeof joinRequestSchema>;

/**
 * scheduled → requested → joining → inLobby → joined → left, or failed (with the decoded Graph result), or
 * cancelled (a scheduled join called off before it was placed).
 */
export const joinStates = ['scheduled', 'requested', 'joining', 'inLobby', 'joined', 'left', 'failed', 'cancelled'] as const;
export const joinStateSchema = z.enum(joinStates);
export type JoinState = z.infer<typeof joinStateSchema>;
export const finalJoinStates: ReadonlySet<JoinState> = new Set(['left', 'failed', 'cancelled']);

/** Why a join is where it is, as a stable word; `message` says it for people. */
export const joinReasons = [
  'lobbyTimeout',
  'notAdmitted',
  'meetingEnded',
  'removed',
  'leftOnRequest',
  'cancelled',
  'callEnded',
  'refused',
  'unavailable',
  'attemptsExhausted',
] as const;
export type JoinReason = (typeof joinReasons)[number];

export const joinResultSchema = z.object({
  code: z.number(),
  subcode: z.number(),
  message: z.string().optional(),
  outcome: z.string(),
  cause: z.string(),
  action: z.string(),
});
export type JoinResult = z.infer<typeof joinResultSchema>;

const reasonSchema = z.object({ code: z.enum(joinReasons), message: z.string() });

/** A join as the API shows it (no passcode, no token). */
export const joinViewSchema = z.object({
  id: z.string(),
  state: joinStateSchema,
  reason: reasonSchema.optional(),
  result: joinResultSchema.optional(),
  callId: z.string().optional(),
  meeting: z.object({ by: z.enum(['joinUrl', 'meetingId', 'token']), joinUrl: z.string().optional(), meetingId: z.string().optional() }),
  as: z.enum(['app', 'guest']),
  displayName: z.string().optional(),
  dueAt: z.string().optional(),
  attempts: z.number().int(),
  history: z.array(z.object({ at: z.string(), state: joinStateSchema, reason: reasonSchema.optional() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type JoinView = z.infer<typeof joinViewSchema>;

const eventBase = { eventId: z.string().min(1), joinId: z.string().min(1), occurredAt: z.iso.datetime(), callId: z.string().optional() };

export const meetingEventSchemas = {
  'state-changed': z.object({
    ...eventBase,
    type: z.literal('state-changed'),
    from: joinStateSchema.optional(),
    to: joinStateSchema,
    reason: reasonSchema.optional(),
    result: joinResultSchema.optional(),
  }),
  'participants-updated': z.object({
    ...eventBase,
    type: z.literal('participants-updated'),
    participants: z.array(rosterParticipantSchema),
    joined: z.array(z.string()),
    left: z.array(z.string()),
  }),
} as const;
export type MeetingEventType = keyof typeof meetingEventSchemas;
export const meetingEventTypes = Object.keys(meetingEventSchemas) as MeetingEventType[];
export const meetingEventSchema = z.discriminatedUnion('type', [meetingEventSchemas['state-changed'], meetingEventSchemas['participants-updated']]);
export type MeetingEvent = z.infer<typeof meetingEventSchema>;

const joinIdSchema = z.string().uuid('must be a join id');

/** NATS payload schema per command action. */
export const meetingCommandSchemas = {
  join: z.strictObject({ ...joinRequestShape, idempotencyKey: z.string().min(1).max(255).optional() }).superRefine(checkJoinRequest),
  get: z.strictObject({ id: joinIdSchema }),
  participants: z.strictObject({ id: joinIdSchema }),
  leave: z.strictObject({ id: joinIdSchema }),
} as const;
export type MeetingCommandAction = keyof typeof meetingCommandSchemas;
export const meetingCommandActions = Object.keys(meetingCommandSchemas) as MeetingCommandAction[];

/** Subjects, streams and buckets of meeting-join, in the deployment's namespace (see `natsNames`). */
export interface MeetingNames {
  commandSubject(action: MeetingCommandAction): string;
  eventSubject(type: MeetingEventType): string;
  eventSubjects: string;
  /** Stream of meeting events for other services and customers. */
  eventsStream: string;
  /** Stream of join tasks: placing a join's call, held until it is due (scheduled joins). */
  tasksStream: string;
  taskSubject(joinId: string): string;
  taskSubjects: string;
  tasksConsumer: string;
  /** Durable consumer of signaling's call events, shared by every meeting-join replica. */
  callEventsConsumer: string;
  /** KV bucket: join records, the call → join index and the joins whose call is being placed. */
  joinsBucket: string;
  /** What meeting-join's workers dead-lettered (with the reason in headers, like signaling's). */
  deadLetterStream: string;
  deadLetterSubject: string;
  streams: string[];
}

export function meetingNames(names: NatsNames): MeetingNames {
  const ns = names.namespace;
  const subject = (s: string) => (ns ? `${ns}.${s}` : s);
  const name = (s: string) => (ns ? `${ns.replace(/-/g, '_').toUpperCase()}_${s}` : s);
  const joinsBucket = name('meeting_joins').toLowerCase();
  const eventsStream = name('MEETING_EVENTS');
  const tasksStream = name('MEETING_TASKS');
  const deadLetterStream = name('MEETING_DLQ');
  return {
    commandSubject: (action) => subject(`meetings.v1.commands.${action}`),
    eventSubject: (type) => subject(`meetings.v1.events.${type}`),
    eventSubjects: subject('meetings.v1.events.>'),
    eventsStream,
    tasksStream,
    taskSubject: (joinId) => subject(`meetings.v1.tasks.${joinId}`),
    taskSubjects: subject('meetings.v1.tasks.>'),
    tasksConsumer: name('meeting_join_tasks'),
    callEventsConsumer: name('meeting_join_call_events'),
    joinsBucket,
    deadLetterStream,
    deadLetterSubject: subject('meetings.v1.dead-letter'),
    streams: [eventsStream, tasksStream, deadLetterStream, `KV_${joinsBucket}`],
  };
}
