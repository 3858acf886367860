import { createHash, randomUUID } from 'node:crypto';
import { failure } from '@switchboard/api-auth';
import type { JoinRequest } from '@switchboard/nats-contracts';
import type { JoinEngine } from './join-engine';
import { joinView, newJoin, type JoinRecord } from './join-record';
import type { JoinStore } from './join-store';
import type { OnlineMeetings } from '../online-meetings/online-meetings';

/** The answer of a join action: HTTP status and JSON body (the NATS reply's `result`). */
export interface JoinAnswer {
  status: number;
  body: unknown;
}

/** The same caller and idempotency key always name the same join: a repeated request never makes a second one. */
export function joinIdFor(subject: string, idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined) return randomUUID();
  const h = createHash('sha256').update(`${subject}\n${idempotencyKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Join requests as the API and the NATS commands carry them out. Refusals are thrown as `ApiFailure`s. */
export class JoinRequests {
  constructor(
    private readonly store: JoinStore,
    private readonly engine: JoinEngine,
    private readonly meetings: OnlineMeetings,
    private readonly settings: { maxAttempts: number; now?: () => Date },
  ) {}

  async request(body: JoinRequest, subject: string, idempotencyKey: string | undefined): Promise<JoinAnswer> {
    const id = joinIdFor(subject, idempotencyKey);
    const existing = await this.store.get(id);
    if (existing) return this.repeat(existing.record, body);
    const now = this.settings.now?.() ?? new Date();
    const dueAt = await this.dueAt(body);
    const { stored, created } = await this.engine.create(newJoin({ id, request: body, requestedBy: subject, now, ...(dueAt ? { dueAt } : {}), maxAttempts: this.settings.maxAttempts }));
    return created ? { status: 202, body: { id, state: stored.record.state } } : this.repeat(stored.record, body);
  }

  async get(id: string): Promise<JoinAnswer> {
    return { status: 200, body: joinView(await this.find(id)) };
  }

  async participants(id: string): Promise<JoinAnswer> {
    const record = await this.find(id);
    return { status: 200, body: { id, state: record.state, ...(record.callId ? { callId: record.callId } : {}), participants: record.participants } };
  }

  async leave(id: string): Promise<JoinAnswer> {
    const left = await this.engine.leave(id);
    if (!left) throw notFound(id);
    if (left.outcome === 'ended') throw failure(409, 'WrongState', `join ${id} has already ended (${left.record.state})`);
    return { status: 202, body: { id, state: left.record.state, ...(left.outcome === 'leaving' ? { leaving: true } : {}) } };
  }

  private async find(id: string): Promise<JoinRecord> {
    const stored = await this.store.get(id);
    if (!stored) throw notFound(id);
    return stored.record;
  }

  /** A repeat with the same key: the first join's answer, if it asked for the same thing. */
  private repeat(record: JoinRecord, body: JoinRequest): JoinAnswer {
    if (JSON.stringify(record.request) !== JSON.stringify(body)) {
      throw failure(422, 'IdempotencyKeyReused', 'this idempotency key was used for a different join request');
    }
    return { status: 202, body: { id: record.id, state: record.state } };
  }

  /** When to place the call: the time given, the meeting's start (looked up), or now (undefined). */
  private async dueAt(body: JoinRequest): Promise<Date | undefined> {
    if (body.at === undefined) return undefined;
    if (body.at !== 'meetingStart') return new Date(body.at);
    const query = body.joinUrl !== undefined ? { joinUrl: body.joinUrl } : { meetingId: body.meetingId ?? '' };
    const meeting = await this.meetings.find({ ...query, ...(body.organizerId ? { organizerId: body.organizerId } : {}) });
    if (!meeting.startDateTime) throw failure(422, 'MeetingHasNoStart', 'the online meeting has no startDateTime to join at');
    return new Date(meeting.startDateTime);
  }
}

const notFound = (id: string) => failure(404, 'JoinNotFound', `join ${id} is not known here`);
