import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Server, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { ApiClients } from './api-clients';
import { CallNotifications } from './call-notifications';
import { CallSimulator } from './call-simulator';
import { CallbackSigner } from './callback-signer';
import { type EmulatorConfig, type EmulatorTimings, configFromEnv, parseEmulatorEnv } from './config';
import { registerControlApi } from './control-api';
import { registerMeetingControlApi } from './meeting-api';
import { Faults } from './faults';
import { GraphApi } from './graph-api';
import { HttpError, Router, graphErrorBody, sendJson } from './http-kit';
import { AadError, Idp, aadErrorBody } from './idp';
import { KeyRing } from './key-ring';
import { DEFAULT_RETRY, Notifier, type RetryPolicy } from './notifier';
import { ParticipantActions } from './participant-actions';
import type { RequestContext } from './request-context';
import { loadOrCreateTls } from './tls';
import { PolicyJoins } from './policy-joins';

export interface EmulatorOptions extends Partial<Omit<EmulatorConfig, 'timings'>> {
  timings?: Partial<EmulatorTimings>;
  /** Notification delivery retries (tests shorten the backoff). */
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
}

export interface RunningEmulator {
  /** `https://localhost:PORT`: Graph is at `${baseUrl}/v1.0`, the Entra authority at `${baseUrl}/${tenantId}`. */
  baseUrl: string;
  port: number;
  /** The certificate clients must trust (also written to `caPath`). */
  caPem: string;
  caPath: string;
  tenantId: string;
  botAppId: string;
  /** Entra authority for msal-node (`knownAuthorities: [new URL(authority).host]`). */
  authority: string;
  /** Where a bot finds the keys that sign notifications. */
  callbackOpenIdConfigurationUrl: string;
  /** Issuer of call-control API tokens; its discovery document is `${apiIssuer}/.well-known/openid-configuration`. */
  apiIssuer: string;
  /** Audience of call-control API tokens. */
  apiAudience: string;
  /** The customer app registered at boot (EMULATOR_API_CLIENT_ID). */
  apiClientId: string;
  /** Resolves once every queued notification has been delivered, dropped or given up. */
  notificationsIdle(): Promise<void>;
  stop(): Promise<void>;
}

/** Defaults come from the same schema as the environment, so the two never drift apart. */
export function resolveConfig(options: EmulatorOptions = {}): EmulatorConfig {
  const defaults = configFromEnv(parseEmulatorEnv({}), () => '');
  const { timings, retry: _retry, logger: _logger, ...rest } = options;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return { ...defaults, ...defined, timings: { ...defaults.timings, ...timings } };
}

/** Starts the emulator's HTTPS listener in this process. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const config = resolveConfig(options);
  const logger = options.logger ?? pino({ level: config.logLevel, base: { service: 'graph-emulator' } });
  const tls = await loadOrCreateTls(config.stateDir);
  const [entraKeys, callbackKeys] = await Promise.all([KeyRing.create(), KeyRing.create()]);

  const server = createServer({ cert: tls.certPem, key: tls.keyPem });
  const port = await listen(server, config.host, config.port);
  const baseUrl = `https://${config.publicHost}:${port}`;

  const apiClients = new ApiClients();
  apiClients.set(config.apiClient.clientId, config.apiClient);
  const idp = new Idp({ ...config, baseUrl, keys: entraKeys, apiClients });
  const signer = new CallbackSigner(baseUrl, config.botAppId, callbackKeys);
  const notifier = new Notifier(signer, logger, { ...DEFAULT_RETRY, ...options.retry });
  const calls = new CallSimulator(
    { ...config, botDisplayName: 'Switchboard Bot', baseUrl, media: { ...config.media, logger } },
    new CallNotifications(notifier),
  );
  const faults = new Faults();
  const graph = new GraphApi(baseUrl, idp, calls, new ParticipantActions(calls), faults, logger);
  const router = new Router<RequestContext>();
  idp.register(router);
  signer.register(router);
  registerControlApi(router, {
    calls,
    policyJoins: new PolicyJoins(calls, signer, logger),
    signer,
    faults,
    apiClients,
    idp,
    requests: graph.requests,
    notifications: notifier.log,
    caPem: tls.certPem,
    promptMs: config.timings.promptMs,
  });
  registerMeetingControlApi(router, calls.meetings);

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const ctx: RequestContext = { req, res, url: new URL(req.url ?? '/', baseUrl) };
    const handled = graph.handles(ctx.url.pathname) ? graph.handle(ctx) : dispatch(router, ctx, logger);
    handled.catch((error: unknown) => logger.error({ err: error }, 'request handling failed'));
  });

  logger.info({ baseUrl, caPath: tls.caPath, tenantId: config.tenantId, botAppId: config.botAppId, reusedCertificate: tls.reused }, 'graph emulator listening');

  return {
    baseUrl,
    port,
    caPem: tls.certPem,
    caPath: tls.caPath,
    tenantId: config.tenantId,
    botAppId: config.botAppId,
    authority: `${baseUrl}/${config.tenantId}`,
    callbackOpenIdConfigurationUrl: signer.openIdConfigurationUrl,
    apiIssuer: idp.apiIssuer,
    apiAudience: config.apiAudience,
    apiClientId: config.apiClient.clientId,
    notificationsIdle: () => notifier.idle(),
    stop: async () => {
      calls.stop();
      notifier.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function dispatch(router: Router<RequestContext>, ctx: RequestContext, logger: Logger): Promise<void> {
  try {
    const match = router.match(ctx.req.method ?? 'GET', ctx.url.pathname);
    if (match === undefined) throw new HttpError(404, 'ItemNotFound', `No resource at '${ctx.url.pathname}'.`);
    if (match === 'method') throw new HttpError(405, 'MethodNotAllowed', `${ctx.req.method} is not allowed on '${ctx.url.pathname}'.`);
    await match.handler(ctx, match.params);
  } catch (error) {
    if (ctx.res.headersSent) return;
    if (error instanceof AadError) return sendJson(ctx.res, error.status, aadErrorBody(error));
    if (error instanceof HttpError) {
      if (error.status === 413) ctx.res.setHeader('connection', 'close');
      return sendJson(ctx.res, error.status, graphErrorBody(error, randomUUID()));
    }
    logger.error({ err: error, path: ctx.url.pathname }, 'request failed');
    sendJson(ctx.res, 500, graphErrorBody(new HttpError(500, 'InternalServerError', 'An internal error occurred.'), randomUUID()));
  }
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
