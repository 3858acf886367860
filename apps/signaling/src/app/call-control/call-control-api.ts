import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  callCommandBodySchema,
  graphCallIdSchema,
  idempotencyKeySchema,
  participantIdSchema,
  type CallCommandAction,
  type CallCommandReply,
} from '@switchboard/nats-contracts';
import {
  bearerChallenge,
  failure,
  failureBody,
  invalidRequest,
  isApiFailure,
  parseOrRefuse as parse,
  type ApiAuthenticator,
  type ApiFailure,
} from '@switchboard/api-auth';
import type { RequestProblem } from '@switchboard/jetstream';
import { isReadAction, requiredRole } from './api-roles';
import type { CallCommand, CallControlService, CommandResult } from './call-control.service';
import { requestFingerprint, type IdempotencyStore } from './idempotency-store';

/** What the HTTP layer sends back. */
export interface ApiAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface HttpCommandRequest {
  authorization?: string;
  idempotencyKey?: string;
  params: { callId?: string; participantId?: string };
  body: unknown;
}

/** NATS commands come from inside the deployment: NATS account permissions decide who may publish them. */
export const NATS_SUBJECT = 'nats';

export const NOT_CONFIGURED_MESSAGE = 'the call-control API is not configured: set API_AUTH_OIDC_URL';

interface Outcome {
  result?: CommandResult;
  failure?: ApiFailure;
  replayed?: boolean;
}

/**
 * One request through the call-control API, from either transport: authenticate (REST only), check the role,
 * validate, honour the idempotency key, carry out, and log one line (callId, action, subject, outcome).
 */
export class CallControlApi {
  constructor(
    private readonly service: CallControlService,
    private readonly idempotency: IdempotencyStore,
    private readonly logger: Logger,
    /** Undefined when API_AUTH_OIDC_URL is unset: every REST request is answered 503. */
    private readonly authenticator: ApiAuthenticator | undefined,
  ) {}

  async handleHttp(action: CallCommandAction, request: HttpCommandRequest): Promise<ApiAnswer> {
    let subject: string | undefined;
    const outcome = await this.attempt(async () => {
      if (!this.authenticator) throw failure(503, 'NotConfigured', NOT_CONFIGURED_MESSAGE);
      const principal = await this.authenticator.authorize(request.authorization, requiredRole(action), action);
      subject = principal.subject;
      const command = commandFromHttp(action, request);
      const key = request.idempotencyKey === undefined ? undefined : parse(idempotencyKeySchema, request.idempotencyKey, 'Idempotency-Key header');
      return this.run(command, principal.subject, key);
    });
    this.log('http', action, request.params.callId, subject, outcome);
    if (outcome.result) {
      return { status: outcome.result.status, body: outcome.result.body, headers: outcome.replayed ? { 'idempotent-replayed': 'true' } : {} };
    }
    const refusal = outcome.failure as ApiFailure;
    const headers: Record<string, string> = refusal.status === 401 ? { 'www-authenticate': bearerChallenge(refusal, request.authorization) } : {};
    return { status: refusal.status, body: failureBody(refusal), headers };
  }

  /** A NATS command whose payload passed its action's schema (`callCommandSchemas`, checked by the responder). */
  async handleNats(action: CallCommandAction, payload: Record<string, unknown>): Promise<CallCommandReply> {
    const { idempotencyKey, ...fields } = payload;
    const callId = typeof fields['callId'] === 'string' ? fields['callId'] : undefined;
    const outcome = await this.attempt(() => this.run(toCommand(action, fields), NATS_SUBJECT, idempotencyKey as string | undefined));
    return this.natsReply(action, callId, outcome);
  }

  /** A NATS command refused before it reached the API (not JSON, or not its schema): nothing was carried out. */
  refuseNats(action: CallCommandAction, problem: RequestProblem): CallCommandReply {
    const refusal = problem.kind === 'not-json' ? failure(400, 'InvalidRequest', 'invalid payload: not JSON') : invalidRequest(problem.error, 'payload');
    return this.natsReply(action, undefined, { failure: refusal });
  }

  private natsReply(action: CallCommandAction, callId: string | undefined, outcome: Outcome): CallCommandReply {
    this.log('nats', action, callId, NATS_SUBJECT, outcome);
    if (outcome.result) return { ok: true, result: outcome.result.body };
    const refusal = outcome.failure as ApiFailure;
    return { ok: false, status: refusal.status, code: refusal.code, message: refusal.message };
  }

  /** Carries out the command once per (caller, key): a repeat gets the stored answer without reaching Graph. */
  private async run(command: CallCommand, subject: string, key: string | undefined): Promise<Outcome> {
    const context = { subject, requestId: randomUUID() };
    if (key === undefined || isReadAction(command.action)) return { result: await this.service.execute(command, context) };
    const claim = await this.idempotency.claim(subject, key, requestFingerprint(command));
    if (claim.kind === 'repeat') return { result: claim.response, replayed: true };
    let result: CommandResult;
    try {
      result = await this.service.execute(command, context);
    } catch (error) {
      // Only answers that did something are kept: a refused or failed request may be repeated with the same key.
      await claim.abandon();
      throw error;
    }
    await claim.finish(result);
    return { result };
  }

  private async attempt(work: () => Promise<Outcome>): Promise<Outcome> {
    try {
      return await work();
    } catch (error) {
      if (isApiFailure(error)) return { failure: error };
      this.logger.error({ err: error }, 'call-control request failed');
      return { failure: failure(500, 'InternalError', 'the request could not be carried out; see the service log') };
    }
  }

  private log(transport: 'http' | 'nats', action: CallCommandAction, callId: string | undefined, subject: string | undefined, outcome: Outcome): void {
    const status = outcome.result?.status ?? outcome.failure?.status;
    const fields = {
      transport,
      action,
      ...(callId ? { callId } : {}),
      ...(subject ? { subject } : {}),
      outcome: outcome.result ? (outcome.replayed ? 'replayed' : 'done') : (status ?? 500) >= 500 ? 'failed' : 'refused',
      status,
      ...(outcome.failure ? { code: outcome.failure.code, reason: outcome.failure.message } : {}),
    };
    if (outcome.result) this.logger.info(fields, 'call-control request');
    else if ((status ?? 500) >= 500) this.logger.error(fields, 'call-control request');
    else this.logger.warn(fields, 'call-control request');
  }
}

/** Path ids and the body, each checked against its schema (a body field cannot stand in for a path id). */
function commandFromHttp(action: CallCommandAction, request: HttpCommandRequest): CallCommand {
  const ids: Record<string, unknown> = {};
  if (request.params.callId !== undefined) ids['callId'] = parse(graphCallIdSchema, request.params.callId, 'call id in the path');
  if (request.params.participantId !== undefined) ids['participantId'] = parse(participantIdSchema, request.params.participantId, 'participant id in the path');
  const schema = callCommandBodySchema(action);
  // Bodyless routes (reads, DELETE) get no body; a POST without one is an empty object.
  const body = schema ? (parse(schema, request.body ?? {}, 'body') as Record<string, unknown>) : {};
  return toCommand(action, { ...body, ...ids });
}

/** Splits validated fields into the ids and the body of a command. */
function toCommand(action: CallCommandAction, fields: Record<string, unknown>): CallCommand {
  const { callId, participantId, ...body } = fields;
  return { action, body, ...(callId === undefined ? {} : { callId }), ...(participantId === undefined ? {} : { participantId }) } as CallCommand;
}
