import { z } from 'zod';
import { type ApiClients, apiClientIdSchema, apiClientSchema } from './api-clients';
import { calleeRuleSchema } from './callee-rules';
import type { CallSimulator } from './call-simulator';
import type { CallbackSigner } from './callback-signer';
import type { EventLog } from './event-log';
import { type Faults, faultSchema } from './faults';
import type { GraphRequestLogEntry } from './graph-api';
import { type Idp, botRolesSchema } from './idp';
import { HttpError, Router, badRequest, parseJsonBody, readBody, sendJson } from './http-kit';
import type { NotificationLogEntry } from './notifier';
import { scriptSchema } from './person-script';
import { complianceInviteSchema } from './compliance-invitations';
import { policyJoinSchema, type PolicyJoins } from './policy-joins';
import { recordingStatusBehaviourSchema } from './recording-status-behaviour';
import type { RequestContext } from './request-context';
import { validate } from './validation';
import { recordingWav, silentWav } from './wav';

const incomingSchema = z.object({
  caller: z.object({ id: z.string().min(1).optional(), displayName: z.string().min(1).optional() }).optional(),
  tenantId: z.string().min(1).optional(),
  script: scriptSchema.optional(),
  /** The caller's camera is on: the call requests video, and an app-hosted bot that subscribes gets its frames. */
  camera: z.boolean().optional(),
});
const tonesSchema = z.object({
  tones: z.string().min(1).max(64),
  gapMs: z.number().int().min(0).max(10_000).optional(),
});
const scriptBodySchema = z.object({ script: scriptSchema });

export interface ControlApiDeps {
  calls: CallSimulator;
  policyJoins: PolicyJoins;
  signer: CallbackSigner;
  faults: Faults;
  apiClients: ApiClients;
  idp: Pick<Idp, 'botRoles' | 'setBotRoles'>;
  requests: EventLog<GraphRequestLogEntry>;
  notifications: EventLog<NotificationLogEntry>;
  caPem: string;
  /** Length of one prompt: what `GET /emulator/prompts/{name}` serves. */
  promptMs: number;
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
  router.on('POST', '/emulator/calls/compliance-invite', async (ctx) => {
    const invite = validate(complianceInviteSchema, await json(ctx));
    const call = calls.incoming({ caller: invite.observedUser, ...(invite.tenantId ? { tenantId: invite.tenantId } : {}), complianceInvite: invite });
    sendJson(ctx.res, 201, { callId: call.id });
  });
  router.on('POST', '/emulator/calls/:id/policy-join', async (ctx, { id = '' }) => {
    const { observedUser } = validate(policyJoinSchema, await json(ctx));
    sendJson(ctx.res, 200, await deps.policyJoins.join(id, observedUser));
  });
  router.on('GET', '/emulator/calls', (ctx) => sendJson(ctx.res, 200, { value: calls.list() }));
  router.on('GET', '/emulator/calls/:id', (ctx, { id }) => sendJson(ctx.res, 200, calls.snapshot(id)));
  router.on('GET', '/emulator/calls/:id/media', (ctx, { id }) => sendJson(ctx.res, 200, calls.mediaView(id)));
  router.on('POST', '/emulator/calls/:id/tones', async (ctx, { id }) => {
    const body = validate(tonesSchema, await json(ctx));
    const tones = calls.pressTones(id, body.tones, body.gapMs);
    sendJson(ctx.res, 202, { tones });
  });
  router.on('POST', '/emulator/calls/:id/script', async (ctx, { id }) => {
    const { script } = validate(scriptBodySchema, await json(ctx));
    const pending = calls.addScript(id, script);
    sendJson(ctx.res, 202, { callId: id, stepsQueued: pending });
  });
  router.on('POST', '/emulator/calls/:id/hangup', (ctx, { id }) => {
    calls.hangUpByPeer(id);
    sendJson(ctx.res, 202, { callId: id });
  });
  router.on('PUT', '/emulator/callees/:key', async (ctx, { key = '' }) => {
    const rule = validate(calleeRuleSchema, await json(ctx));
    calls.setCalleeRule(key, rule);
    sendJson(ctx.res, 200, { userId: key, ...rule });
  });

  router.on('GET', '/emulator/recording-status', (ctx) => sendJson(ctx.res, 200, calls.recordingStatus.view()));
  router.on('PUT', '/emulator/recording-status', async (ctx) => sendJson(ctx.res, 200, calls.recordingStatus.set(validate(recordingStatusBehaviourSchema, await json(ctx)))));
  router.on('DELETE', '/emulator/recording-status', (ctx) => {
    calls.recordingStatus.clear();
    sendJson(ctx.res, 200, calls.recordingStatus.view());
  });

  router.on('GET', '/emulator/faults', (ctx) => sendJson(ctx.res, 200, { value: deps.faults.list() }));
  router.on('POST', '/emulator/faults', async (ctx) => sendJson(ctx.res, 201, deps.faults.add(validate(faultSchema, await json(ctx)))));
  router.on('DELETE', '/emulator/faults', (ctx) => sendJson(ctx.res, 200, { cleared: deps.faults.clear() }));

  router.on('PUT', '/emulator/api-clients/:clientId', async (ctx, { clientId = '' }) => {
    const id = validate(z.object({ clientId: apiClientIdSchema }), { clientId }).clientId;
    const client = validate(apiClientSchema, await json(ctx));
    deps.apiClients.set(id, client);
    sendJson(ctx.res, 200, { clientId: id, roles: client.roles });
  });

  router.on('GET', '/emulator/bot/roles', (ctx) => sendJson(ctx.res, 200, { roles: deps.idp.botRoles }));
  router.on('PUT', '/emulator/bot/roles', async (ctx) => {
    const { roles } = validate(z.object({ roles: botRolesSchema }), await json(ctx));
    deps.idp.setBotRoles(roles);
    sendJson(ctx.res, 200, { roles: deps.idp.botRoles });
  });

  router.on('GET', '/emulator/requests', (ctx) => {
    const callId = ctx.url.searchParams.get('callId')?.toLowerCase();
    sendJson(ctx.res, 200, deps.requests.since(sinceOf(ctx.url), (r) => callId === undefined || r.callId === callId));
  });
  router.on('GET', '/emulator/notifications', (ctx) => sendJson(ctx.res, 200, deps.notifications.since(sinceOf(ctx.url))));

  router.on('GET', '/emulator/recordings/:id', (ctx, { id = '' }) => {
    const token = /^Bearer\s+(\S+)$/i.exec(ctx.req.headers.authorization ?? '')?.[1];
    if (!token) throw new HttpError(401, 'InvalidAuthenticationToken', 'A recording is fetched with Authorization: Bearer <recordingAccessToken>.');
    const recording = calls.recording(id, token);
    if (!recording) throw new HttpError(404, 'ItemNotFound', 'No recording with that id for this access token.');
    sendWav(ctx, recordingWav(recording.durationMs, recording.speech));
  });
  // Prompt media the platform can point playPrompt at: one prompt's worth of silence.
  router.on('GET', '/emulator/prompts/:name', (ctx) => sendWav(ctx, silentWav(deps.promptMs)));
}

function sendWav(ctx: RequestContext, wav: Buffer): void {
  ctx.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': wav.length });
  ctx.res.end(wav);
}

function sinceOf(url: URL): number {
  const raw = url.searchParams.get('since') ?? '0';
  const since = Number(raw);
  if (!Number.isInteger(since) || since < 0) throw badRequest(`since must be a non-negative integer, got '${raw}'.`);
  return since;
}
