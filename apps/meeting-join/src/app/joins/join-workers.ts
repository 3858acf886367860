import type { JetStreamClient, JetStreamManager, JsMsg } from 'nats';
import { z } from 'zod';
import { ensureDurableConsumer, ensureStream, fileStream, PullWorker, UNLIMITED_ACK_PENDING, type LogFn } from '@switchboard/jetstream';
import { parseCallEvent, type MeetingNames, type NatsNames } from '@switchboard/nats-contracts';
import type { JoinEngine } from './join-engine';
import type { JoinTask } from './join-record';

const DAY_MS = 24 * 3600_000;
const DUPLICATE_WINDOW_MS = 2 * 60_000;
const ACK_WAIT_MS = 30_000;
/** Holds count as deliveries: a join scheduled a week ahead is looked at every {@link EngineSettings.maxHoldMs} until due. */
export const TASK_MAX_DELIVER = 5_000;
const EVENT_MAX_DELIVER = 20;

/**
 * The streams and durable consumers meeting-join uses: its tasks and events, and a consumer of signaling's call
 * events (the stream is ensured with signaling's own definition, so whichever service starts first creates it).
 */
export async function ensureMeetingTopology(jsm: JetStreamManager, names: NatsNames, meetings: MeetingNames): Promise<void> {
  const week = 7 * DAY_MS;
  await ensureStream(jsm, fileStream(names.eventsStream, names.eventSubjects, week, DUPLICATE_WINDOW_MS));
  await ensureStream(jsm, fileStream(meetings.eventsStream, meetings.eventSubjects, week, DUPLICATE_WINDOW_MS));
  await ensureStream(jsm, fileStream(meetings.tasksStream, meetings.taskSubjects, 60 * DAY_MS, DUPLICATE_WINDOW_MS));
  await ensureStream(jsm, fileStream(meetings.deadLetterStream, meetings.deadLetterSubject, week, DUPLICATE_WINDOW_MS));
  // Scheduled joins and early call events are held unsettled until due (see UNLIMITED_ACK_PENDING).
  const shared = { ackWaitMs: ACK_WAIT_MS, maxAckPending: UNLIMITED_ACK_PENDING };
  await ensureDurableConsumer(jsm, { stream: meetings.tasksStream, name: meetings.tasksConsumer, filterSubject: meetings.taskSubjects, ...shared });
  await ensureDurableConsumer(jsm, { stream: names.eventsStream, name: meetings.callEventsConsumer, filterSubject: names.eventSubjects, ...shared });
}

const taskSchema = z.object({ joinId: z.string().min(1), attempt: z.number().int().positive(), dueAt: z.number().optional() });

/** Age of a message on its first delivery (later deliveries: undefined), for the early-event look-again. */
const firstLookAge = (msg: JsMsg): number | undefined =>
  msg.info.redeliveryCount === 1 ? Date.now() - Number(msg.info.timestampNanos / 1_000_000) : undefined;

/** The two pull workers every replica runs on the shared durable consumers: join tasks and signaling's call events. */
export function joinWorkers(js: JetStreamClient, names: NatsNames, meetings: MeetingNames, engine: JoinEngine, log: LogFn, concurrency = 4): PullWorker<unknown>[] {
  const deadLetter = { subject: meetings.deadLetterSubject };
  const tasks = new PullWorker<JoinTask>(js, {
    stream: meetings.tasksStream,
    consumer: meetings.tasksConsumer,
    decode: (msg) => taskSchema.parse(msg.json()) as JoinTask,
    handle: (task, msg) => engine.handleTask(task, msg.info.redeliveryCount),
    maxDeliver: TASK_MAX_DELIVER,
    concurrency,
    deadLetter,
    log,
    describe: (msg) => ({ subject: msg.subject }),
  });
  const events = new PullWorker(js, {
    stream: names.eventsStream,
    consumer: meetings.callEventsConsumer,
    decode: (msg) => parseCallEvent(msg.data),
    handle: (event, msg) => engine.handleCallEvent(event, firstLookAge(msg)),
    maxDeliver: EVENT_MAX_DELIVER,
    // One at a time: a call's events apply in the order signaling published them.
    concurrency: 1,
    deadLetter,
    log,
  });
  return [tasks, events] as PullWorker<unknown>[];
}
