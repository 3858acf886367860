import type { Logger } from 'pino';
import { z } from 'zod';
import { bearerChallenge, failure, failureBody, invalidRequest, isApiFailure, parseOrRefuse as parse, type ApiAuthenticator, type ApiFailure } from '@switchboard/api-auth';
import type { RequestProblem } from '@switchboard/jetstream';
import { idempotencyKeySchema, joinRequestSchema, type CallCommandReply, type JoinRequest, type MeetingCommandAction } from '@switchboard/nats-contracts';
import type { JoinAnswer, JoinRequests } from '../joins/join-requests';
import { createMeetingBodySchema, findMeetingQuerySchema, type OnlineMeetings } from '../online-meetings/online-meetings';

export type MeetingsAction = MeetingCommandAction | 'create-meeting' | 'find-meeting';

/** The role each action needs in the caller's token (REST only). */
export const requiredRoles: Record<MeetingsAction, string> = {
  join: 'Meetings.Join',
  leave: 'Meetings.Join',
  get: 'Meetings.Read',
  participants: 'Meetings.Read',
  'find-meeting': 'Meetings.Read',
  'create-meeting': 'OnlineMeetings.ReadWrite',
};

export interface HttpRequest {
  authorization?: string;
  idempotencyKey?: string;
  id?: string;
  body: unknown;
  query: Record<string, unknown>;
}

export interface ApiAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** NATS commands come from inside the deployment: NATS account permissions decide who may publish them. */
export const NATS_SUBJECT = 'nats';
export const NOT_CONFIGURED_MESSAGE = 'the meetings API is not configured: set API_AUTH_OIDC_URL';

const joinIdSchema = z.uuid('must be a join id');

/**
 * One request through the meetings API from either transport: authenticate and check the role (REST), validate,
 * carry out, and log one line (action, join id, subject, outcome). Tokens and passcodes are never logged.
 */
export class MeetingsApi {
  constructor(
    private readonly joins: JoinRequests,
    private readonly meetings: OnlineMeetings,
    private readonly logger: Logger,
    private readonly authenticator: ApiAuthenticator | undefined,
  ) {}

  async handleHttp(action: MeetingsAction, request: HttpRequest): Promise<ApiAnswer> {
    let subject: string | undefined;
    const outcome = await this.attempt(async () => {
      if (!this.authenticator) throw failure(503, 'NotConfigured', NOT_CONFIGURED_MESSAGE);
      subject = (await this.authenticator.authorize(request.authorization, requiredRoles[action], action)).subject;
      const key = request.idempotencyKey === undefined ? undefined : parse(idempotencyKeySchema, request.idempotencyKey, 'Idempotency-Key header');
      const id = request.id === undefined ? undefined : parse(joinIdSchema, request.id, 'join id in the path');
      return this.run(action, { subject, key, id, body: request.body, query: request.query });
    });
    this.log('http', action, request.id, subject, outcome);
    if ('answer' in outcome) return { ...outcome.answer, headers: {} };
    const refusal = outcome.failure;
    return { status: refusal.status, body: failureBody(refusal), headers: refusal.status === 401 ? { 'www-authenticate': bearerChallenge(refusal, request.authorization) } : {} };
  }

  /** A NATS command whose payload passed its schema (`meetingCommandSchemas`, checked by the responder). */
  async handleNats(action: MeetingCommandAction, payload: Record<string, unknown>): Promise<CallCommandReply> {
    const { idempotencyKey, id, ...body } = payload;
    const outcome = await this.attempt(() =>
      this.run(action, { subject: NATS_SUBJECT, key: idempotencyKey as string | undefined, id: id as string | undefined, body, query: {}, validated: true }),
    );
    return this.reply(action, id as string | undefined, outcome);
  }

  refuseNats(action: MeetingCommandAction, problem: RequestProblem): CallCommandReply {
    const refusal = problem.kind === 'not-json' ? failure(400, 'InvalidRequest', 'invalid payload: not JSON') : invalidRequest(problem.error, 'payload');
    return this.reply(action, undefined, { failure: refusal });
  }

  private reply(action: MeetingsAction, id: string | undefined, outcome: Outcome): CallCommandReply {
    this.log('nats', action, id, NATS_SUBJECT, outcome);
    if ('answer' in outcome) return { ok: true, result: outcome.answer.body };
    return { ok: false, status: outcome.failure.status, code: outcome.failure.code, message: outcome.failure.message };
  }

  private async run(action: MeetingsAction, r: { subject: string; key?: string; id?: string; body: unknown; query: Record<string, unknown>; validated?: boolean }): Promise<Outcome> {
    const id = r.id ?? '';
    switch (action) {
      case 'join': {
        const body = r.validated ? joinRequestSchema.parse(r.body) : (parse(joinRequestSchema, r.body ?? {}, 'body') as JoinRequest);
        return { answer: await this.joins.request(body, r.subject, r.key) };
      }
      case 'get':
        return { answer: await this.joins.get(id) };
      case 'participants':
        return { answer: await this.joins.participants(id) };
      case 'leave':
        return { answer: await this.joins.leave(id) };
      case 'create-meeting':
        return { answer: { status: 201, body: await this.meetings.create(parse(createMeetingBodySchema, r.body ?? {}, 'body')) } };
      case 'find-meeting':
        return { answer: { status: 200, body: await this.meetings.find(parse(findMeetingQuerySchema, r.query, 'query')) } };
    }
  }

  private async attempt(work: () => Promise<Outcome>): Promise<Outcome> {
    try {
      return await work();
    } catch (error) {
      if (isApiFailure(error)) return { failure: error };
      this.logger.error({ err: error }, 'meetings request failed');
      return { failure: failure(500, 'InternalError', 'the request could not be carried out; see the service log') };
    }
  }

  private log(transport: 'http' | 'nats', action: MeetingsAction, joinId: string | undefined, subject: string | undefined, outcome: Outcome): void {
    const status = 'answer' in outcome ? outcome.answer.status : outcome.failure.status;
    const fields = {
      transport,
      action,
      ...(joinId ? { joinId } : {}),
      ...(subject ? { subject } : {}),
      outcome: 'answer' in outcome ? 'done' : status >= 500 ? 'failed' : 'refused',
      status,
      ...('failure' in outcome ? { code: outcome.failure.code, reason: outcome.failure.message } : {}),
    };
    if ('answer' in outcome) this.logger.info(fields, 'meetings request');
    else if (status >= 500) this.logger.error(fields, 'meetings request');
    else this.logger.warn(fields, 'meetings request');
  }
}

type Outcome = { answer: JoinAnswer } | { failure: ApiFailure };
