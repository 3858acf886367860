import { z } from 'zod';
import type { CallSimulator } from './call-simulator';
import type { CallbackSigner } from './callback-signer';
import type { EventLog } from './event-log';
import type { GraphRequestLogEntry } from './graph-api';
import { HttpError, Router, badRequest, parseJsonBody, readBody, sendJson } from './http-kit';
import type { NotificationLogEntry } from './notifier';
import type { RequestContext } from './request-context';
import { validate } from './validation';
import { silentWav } from './wav';

const incomingSchema = z.object({
  caller: z.object({ id: z.string().min(1).optional(), displayName: z.string().min(1).optional() }).optional(),
  tenantId: z.string().min(1).optional(),
});
const tonesSchema = z.object({
  tones: z.string().min(1).max(64),
  gapMs: z.number().int().min(0).max(10_000).optional(),
});
const calleeRuleSchema = z.object({ behaviour: z.enum(['answer', 'decline', 'noAnswer', 'unreachable']) });

export interface ControlApiDeps {
  calls: CallSimulator;
  signer: CallbackSigner;
  requests: EventLog<GraphRequestLogEntry>;
  notifications: EventLog<NotificationLogEntry>;
  caPem: string;
}

/** `/emulator/...`: drive the simulated people and inspect what the bot did. No auth: local use only. */
export function registerControlApi(router: Router<RequestContext>, deps: ControlApiDeps): void {
  const { calls } = deps;
  const json = async (ctx: RequestContext): Promise<unknown> => parseJsonBody(ctx.req, await readBody(ctx.req));

  router.on('GET', '/emulator/health', (ctx) => sendJson(ctx.res, 200, { status: 'ok' }));
  router.on('GET', '/emulator/ca.pem', (ctx) => {
    ctx.res.writeHead(200, { 'content-type': 'application/x-pem-file' });
    ctx.res.end(deps.caPem);
  });
  router.on('POST', '/emulator/keys/rotate', async (ctx) => sendJson(ctx.res, 200, await deps.signer.rotate()));

  router.on('POST', '/emulator/calls/incoming', async (ctx) => {
    const call = calls.incoming(validate(incomingSchema, await json(ctx)));
    sendJson(ctx.res, 201, { callId: call.id });
  });
  router.on('GET', '/emulator/calls', (ctx) => sendJson(ctx.res, 200, { value: calls.list() }));
  router.on('GET', '/emulator/calls/:id', (ctx, { id }) => sendJson(ctx.res, 200, calls.snapshot(id)));
  router.on('POST', '/emulator/calls/:id/tones', async (ctx, { id }) => {
    const body = validate(tonesSchema, await json(ctx));
    const tones = calls.pressTones(id, body.tones, body.gapMs);
    sendJson(ctx.res, 202, { tones });
  });
  router.on('POST', '/emulator/calls/:id/hangup', (ctx, { id }) => {
    calls.hangUpByPeer(id);
    sendJson(ctx.res, 202, { callId: id });
  });
  router.on('PUT', '/emulator/callees/:userId', async (ctx, { userId }) => {
    const { behaviour } = validate(calleeRuleSchema, await json(ctx));
    calls.setCalleeBehaviour(userId, behaviour);
    sendJson(ctx.res, 200, { userId, behaviour });
  });

  router.on('GET', '/emulator/requests', (ctx) => sendJson(ctx.res, 200, deps.requests.since(sinceOf(ctx.url))));
  router.on('GET', '/emulator/notifications', (ctx) => sendJson(ctx.res, 200, deps.notifications.since(sinceOf(ctx.url))));

  router.on('GET', '/emulator/recordings/:id', (ctx, { id }) => {
    const token = /^Bearer\s+(\S+)$/i.exec(ctx.req.headers.authorization ?? '')?.[1] ?? '';
    const recording = calls.recording(id, token);
    if (!recording) throw new HttpError(404, 'ItemNotFound', 'No recording with that id for this access token.');
    const wav = silentWav(recording.durationMs);
    ctx.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': wav.length });
    ctx.res.end(wav);
  });
}

function sinceOf(url: URL): number {
  const raw = url.searchParams.get('since') ?? '0';
  const since = Number(raw);
  if (!Number.isInteger(since) || since < 0) throw badRequest(`since must be a non-negative integer, got '${raw}'.`);
  return since;
}
