import { randomUUID } from 'node:crypto';
import {
  answerRequestSchema,
  contextOnlyRequestSchema,
  createCallRequestSchema,
  inviteParticipantsRequestSchema,
  playPromptRequestSchema,
  recordResponseRequestSchema,
  redirectRequestSchema,
  rejectRequestSchema,
  sendDtmfTonesRequestSchema,
  startHoldMusicRequestSchema,
  transferRequestSchema,
  updateRecordingStatusRequestSchema,
} from '@switchboard/graph-models';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { CallSimulator } from './call-simulator';
import { EventLog } from './event-log';
import { FaultError, type Faults } from './faults';
import { HttpError, Router, badRequest, graphErrorBody, parseJsonBody, readBody, sendEmpty, sendJson } from './http-kit';
import type { Idp } from './idp';
import { registerOnlineMeetingsApi } from './meeting-api';
import type { ParticipantActions } from './participant-actions';
import type { RequestContext } from './request-context';
import { validate } from './validation';

export interface GraphRequestLogEntry {
  at: string;
  method: string;
  path: string;
  status: number;
  body: unknown;
  clientRequestId: string | null;
  /** The call the request was about (for a create, the call it created). */
  callId: string | null;
  /** Failed on purpose by a fault set through the control API. */
  faulted: boolean;
}

interface GraphContext extends RequestContext {
  body: unknown;
  requestId: string;
  /** Set by handlers that learn the call id only while running (create). */
  callId?: string;
}

const CALLS = '/v1.0/communications/calls';

/**
 * Callback URIs must be https, as Graph demands; plain http is allowed only on loopback so that a
 * bot running on the same machine needs no certificate.
 */
function requireCallbackUri(uri: string | undefined): void {
  if (uri === undefined) return;
  const url = new URL(uri);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw badRequest('Invalid request body: callbackUri: must be an https URL.');
  }
}

/** The Graph cloud-communications API under /v1.0/communications/calls, guarded by Entra access tokens. */
export class GraphApi {
  readonly requests = new EventLog<GraphRequestLogEntry>();
  private readonly router = new Router<GraphContext>();

  constructor(
    private readonly baseUrl: string,
    private readonly idp: Idp,
    private readonly calls: CallSimulator,
    private readonly participants: ParticipantActions,
    private readonly faults: Faults,
    private readonly logger: Logger,
  ) {
    this.routes();
  }

  handles(path: string): boolean {
    return path === '/v1.0' || path.startsWith('/v1.0/');
  }

  async handle(ctx: RequestContext): Promise<void> {
    const requestId = randomUUID();
    const clientRequestId = headerValue(ctx.req.headers['client-request-id']);
    const echo: Record<string, string> = { 'request-id': requestId, ...(clientRequestId ? { 'client-request-id': clientRequestId } : {}) };
    for (const [name, value] of Object.entries(echo)) ctx.res.setHeader(name, value);
    const method = ctx.req.method ?? 'GET';
    const graphCtx: GraphContext = { ...ctx, body: null, requestId };
    let faulted = false;
    try {
      await this.authenticate(ctx);
      graphCtx.body = parseJsonBody(ctx.req, await readBody(ctx.req)) ?? null;
      const fault = this.faults.take(method, ctx.url.pathname);
      if (fault) {
        faulted = true;
        if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        throw fault;
      }
      const match = this.router.match(method, ctx.url.pathname);
      if (match === undefined) throw new HttpError(404, 'UnknownResource', `Resource not found for the segment '${ctx.url.pathname}'.`);
      if (match === 'method') throw new HttpError(405, 'MethodNotAllowed', `${ctx.req.method} is not allowed on '${ctx.url.pathname}'.`);
      await match.handler(graphCtx, match.params);
    } catch (error) {
      this.renderError(ctx, error, requestId, clientRequestId);
    } finally {
      this.requests.append({
        at: new Date().toISOString(),
        method,
        path: ctx.url.pathname + ctx.url.search,
        status: ctx.res.statusCode,
        body: graphCtx.body,
        clientRequestId: clientRequestId ?? null,
        callId: graphCtx.callId ?? callIdOf(ctx.url.pathname),
        faulted,
      });
    }
  }

  private async authenticate(ctx: RequestContext): Promise<void> {
    const header = headerValue(ctx.req.headers.authorization) ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw new HttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    try {
      await this.idp.verifyAccessToken(token);
    } catch (error) {
      throw new HttpError(401, 'InvalidAuthenticationToken', `Access token validation failure: ${(error as Error).message}`);
    }
  }

  private renderError(ctx: RequestContext, error: unknown, requestId: string, clientRequestId: string | undefined): void {
    const known = error instanceof HttpError ? error : new HttpError(500, 'InternalServerError', 'An internal error occurred.');
    if (!(error instanceof HttpError)) this.logger.error({ err: error, path: ctx.url.pathname }, 'graph request failed');
    if (ctx.res.headersSent) return;
    if (known.status === 413) ctx.res.setHeader('connection', 'close');
    if (error instanceof FaultError && error.retryAfterSeconds !== undefined) ctx.res.setHeader('retry-after', String(error.retryAfterSeconds));
    sendJson(ctx.res, known.status, graphErrorBody(known, requestId, clientRequestId));
  }

  private routes(): void {
    const r = this.router;
    const call = `${CALLS}/:id`;
    r.on('POST', CALLS, (ctx) => this.create(ctx));
    r.on('GET', call, (ctx, { id }) => sendJson(ctx.res, 200, this.calls.get(id)));
    r.on('DELETE', call, (ctx, { id }) => {
      this.calls.hangUpByBot(id);
      sendEmpty(ctx.res, 204);
    });
    r.on('GET', `${call}/operations/:opId`, (ctx, { id, opId }) => sendJson(ctx.res, 200, this.calls.operation(id, opId)));
    r.on('GET', `${call}/participants`, (ctx, { id }) => sendJson(ctx.res, 200, { value: this.calls.participants(id) }));
    r.on('DELETE', `${call}/participants/:pid`, (ctx, { id, pid }) => {
      this.participants.remove(id, pid);
      sendEmpty(ctx.res, 204);
    });
    this.operation(`${call}/participants/invite`, inviteParticipantsRequestSchema, (id, body) => this.participants.invite(id, body));
    this.operation(`${call}/participants/:pid/mute`, contextOnlyRequestSchema, (id, body, { pid }) => this.participants.mute(id, pid ?? '', body));
    this.operation(
      `${call}/participants/:pid/startHoldMusic`,
      startHoldMusicRequestSchema,
      (id, body, { pid }) => this.participants.holdMusic(id, pid ?? '', true, body),
      202,
    );
    this.operation(
      `${call}/participants/:pid/stopHoldMusic`,
      contextOnlyRequestSchema,
      (id, body, { pid }) => this.participants.holdMusic(id, pid ?? '', false, body),
      202,
    );
    r.on('POST', `${call}/keepAlive`, (ctx, { id }) => {
      this.calls.keepAlive(id);
      sendEmpty(ctx.res, 200);
    });
    this.accepted(`${call}/answer`, answerRequestSchema, (id, body) => {
      requireCallbackUri(body.callbackUri);
      this.calls.answer(id, body);
    });
    this.accepted(`${call}/reject`, rejectRequestSchema, (id, body) => {
      requireCallbackUri(body.callbackUri);
      this.calls.reject(id, body);
    });
    this.accepted(`${call}/redirect`, redirectRequestSchema, (id, body) => {
      requireCallbackUri(body.callbackUri);
      this.calls.redirect(id, body);
    });
    this.accepted(`${call}/transfer`, transferRequestSchema, (id, body) => this.calls.transfer(id, body));
    this.operation(`${call}/playPrompt`, playPromptRequestSchema, (id, body) => this.calls.playPrompt(id, body));
    this.operation(`${call}/recordResponse`, recordResponseRequestSchema, (id, body) => this.calls.recordResponse(id, body));
    this.operation(`${call}/cancelMediaProcessing`, contextOnlyRequestSchema, (id, body) => this.calls.cancelMediaProcessing(id, body));
    this.operation(`${call}/subscribeToTone`, contextOnlyRequestSchema, (id, body) => this.calls.subscribeToTone(id, body));
    this.operation(`${call}/sendDtmfTones`, sendDtmfTonesRequestSchema, (id, body) => this.calls.sendDtmfTones(id, body));
    this.operation(`${call}/mute`, contextOnlyRequestSchema, (id, body) => this.calls.setMuted(id, true, body));
    this.operation(`${call}/unmute`, contextOnlyRequestSchema, (id, body) => this.calls.setMuted(id, false, body));
    this.operation(`${call}/updateRecordingStatus`, updateRecordingStatusRequestSchema, (id, body) =>
      this.calls.updateRecordingStatus(id, body),
    );
    registerOnlineMeetingsApi(r, this.calls.meetings);
  }

  private create(ctx: GraphContext): void {
    const body = validate(createCallRequestSchema, ctx.body);
    requireCallbackUri(body.callbackUri);
    const call = this.calls.create(body);
    ctx.callId = String(call['id']);
    sendJson(ctx.res, 201, call, { location: `${this.baseUrl}${CALLS}/${String(call['id'])}` });
  }

  /** Actions answered with 202 and no body (answer, reject, redirect, transfer). */
  private accepted<S extends z.ZodType>(path: string, schema: S, act: (id: string, body: z.output<S>) => void): void {
    this.router.on('POST', path, (ctx, { id }) => {
      act(id, validate(schema, ctx.body));
      sendEmpty(ctx.res, 202);
    });
  }

  /** Actions answered with an operation (200, or 202 for hold music); `running` ones report their end in a notification. */
  private operation<S extends z.ZodType>(
    path: string,
    schema: S,
    act: (id: string, body: z.output<S>, params: Record<string, string>) => Record<string, unknown>,
    status = 200,
  ): void {
    this.router.on('POST', path, (ctx, params) => {
      const id = params['id'] ?? '';
      const op = act(id, validate(schema, ctx.body), params);
      sendJson(ctx.res, status, op, { location: `${this.baseUrl}${CALLS}/${id}/operations/${String(op['id'])}` });
    });
  }
}

/** The call id in a `/v1.0/communications/calls/{id}/...` path. */
function callIdOf(path: string): string | null {
  return /^\/v1\.0\/communications\/calls\/([^/]+)/i.exec(path)?.[1]?.toLowerCase() ?? null;
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
