import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startAzurite, type AzuriteEndpoint } from './azurite';
import { HttpBalancer } from './http-balancer';
import { JsonHttp, WaitAborted, waitUntil } from './https-json';
import { ManagedProcess } from './managed-process';
import { ensureNats, type NatsEndpoint } from './nats-server';
import { freePort } from './ports';
import { builtApp, workspaceRoot } from './workspace';

export interface PlatformOptions {
  /** Prefix for NATS subjects and JetStream names (tests use a unique one per run). */
  namespace?: string;
  signalingReplicas?: number;
  /** Where the emulator keeps its CA and certificate. */
  stateDir?: string;
  emulatorEnv?: Record<string, string>;
  signalingEnv?: Record<string, string>;
  /** Environment of one signaling replica (by index) over `signalingEnv`, e.g. a replica that applies no call input. */
  signalingReplicaEnv?: Record<number, Record<string, string>>;
  onLine?: (line: string, name: string) => void;
  /** Also start these services (each on free ports, waited for on /health/ready). */
  services?: SupportingService[];
  /** Extra environment per supporting service. */
  serviceEnv?: Partial<Record<SupportingService, Record<string, string>>>;
  /**
   * Where recordings are stored (BLOB_CONNECTION_STRING of signaling, recording-compliance and media): Azurite started
   * for the platform by default when recording-compliance runs (nothing is recorded without it), a storage account's
   * connection string, or none.
   */
  blobStorage?: 'azurite' | 'none' | { connectionString: string };
  /**
   * Where the built apps are (`<appsDir>/<app>/main.js`, each started in its own folder, as in its image); the
   * workspace's `dist/apps` by default.
   */
  appsDir?: string;
  /** The node binary the apps run on (this process's by default), and environment every app gets (an image's ENV). */
  runtime?: { node: string; env?: Record<string, string> };
}

export type SupportingService = 'meeting-join' | 'recording-compliance' | 'media';

export interface ServiceEndpoint {
  name: SupportingService;
  process: ManagedProcess;
  httpUrl: string;
  grpcPort?: number;
}

export interface Emulator {
  process: ManagedProcess;
  baseUrl: string;
  caPath: string;
  caPem: string;
  botAppId: string;
  tenantId: string;
  clientSecret: string;
  /** The customer app the emulator issues call-control API tokens to (roles Calls.Read/Control/Place). */
  apiClient: { clientId: string; secret: string; audience: string };
  /** JSON client that trusts the emulator's CA. */
  http: JsonHttp;
  /** A call-control API token for `apiClient`, from the emulator's token endpoint. */
  apiToken(): Promise<string>;
}

export interface RunningPlatform {
  nats: NatsEndpoint;
  namespace: string;
  emulator: Emulator;
  signaling: ManagedProcess[];
  signalingUrls: string[];
  /** Where Graph (the emulator) sends callbacks: the only replica, or a balancer in front of several. */
  webhookBaseUrl: string;
  services: ServiceEndpoint[];
  /** The recordings' Blob storage the services were given, when there is one. */
  blobConnectionString?: string;
  /** Starts one more signaling replica (or restarts replica `index`). */
  startSignaling(index: number): Promise<ManagedProcess>;
  /** Starts one more instance of a supporting service (a second replica, or one after another was stopped). */
  startService(name: SupportingService): Promise<ServiceEndpoint>;
  stop(): Promise<void>;
}

const EMULATOR_SECRET = 'local-dev-secret';
const API_CLIENT = { clientId: 'c0ffee00-5a1e-4b0b-9c11-5e1ec7ab1e00', secret: 'local-api-secret', audience: 'api://switchboard' };

/**
 * Starts what the platform needs on one machine, from the built apps: NATS (the server at NATS_URL, or
 * nats-server from PATH), Azurite for recordings, the Graph emulator over HTTPS with its own CA, and signaling replicas that trust that CA,
 * get app tokens from it with msal-node and verify its signed callbacks. Used by `npm start` and the end-to-end tests.
 */
export async function launchPlatform(options: PlatformOptions = {}): Promise<RunningPlatform> {
  const root = workspaceRoot();
  const namespace = options.namespace ?? '';
  const stateDir = options.stateDir ?? join(root, '.swb', 'emulator');
  mkdirSync(stateDir, { recursive: true });
  const replicas = options.signalingReplicas ?? 1;
  const signalingPorts = await Promise.all(Array.from({ length: replicas }, () => freePort()));
  const signalingUrls = signalingPorts.map((p) => `http://127.0.0.1:${p}`);
  const app = (name: string): AppCommand => {
    const main = options.appsDir ? join(options.appsDir, name, 'main.js') : builtApp(name, root);
    return { main, cwd: options.appsDir ? dirname(main) : undefined, node: options.runtime?.node ?? process.execPath, env: options.runtime?.env ?? {} };
  };
  const started: ManagedProcess[] = [];
  // NATS first: when it is missing the launch fails before anything else listens.
  const nats = await ensureNats();
  const balancer = replicas > 1 ? new HttpBalancer(() => signalingUrls) : undefined;
  let azurite: AzuriteEndpoint | undefined;
  try {
    const storage = options.blobStorage ?? (options.services?.includes('recording-compliance') ? 'azurite' : 'none');
    if (storage === 'azurite') azurite = await startAzurite(root);
    const blobConnectionString = storage === 'azurite' ? azurite?.connectionString : storage === 'none' ? undefined : storage.connectionString;
    const webhookBaseUrl = balancer ? await balancer.listen() : signalingUrls[0];
    const emulator = await startEmulator(app('graph-emulator'), stateDir, `${webhookBaseUrl}/api/calling`, options, started);
    const signalingApp = app('signaling');
    const signaling: ManagedProcess[] = [];
    const startSignaling = async (index: number) => {
      const port = signalingPorts[index] ?? (signalingPorts[index] = await freePort());
      signalingUrls[index] = `http://127.0.0.1:${port}`;
      const proc = new ManagedProcess({
        name: replicas > 1 ? `signaling-${index}` : 'signaling',
        ...appProcess(signalingApp),
        onLine: options.onLine,
        env: {
          ...signalingApp.env,
          ...graphAndApiEnv(emulator),
          NATS_URL: nats.url,
          NATS_NAMESPACE: namespace,
          ...(blobConnectionString ? { BLOB_CONNECTION_STRING: blobConnectionString } : {}),
          HTTP_HOST: '127.0.0.1',
          HTTP_PORT: String(port),
          REPLICA_ID: `signaling-${index}`,
          CALLBACK_OIDC_URL: `${emulator.baseUrl}/botframework/v1/.well-known/OpenIdConfiguration`,
          PUBLIC_CALLBACK_URL: `${webhookBaseUrl}/api/calling`,
          PROMPT_URI: `${emulator.baseUrl}/emulator/prompts/welcome.wav`,
          ...options.signalingEnv,
          ...options.signalingReplicaEnv?.[index],
        },
      });
      started.push(proc);
      signaling[index] = proc;
      await waitForReady(proc, `${signalingUrls[index]}/health/ready`, emulator.http);
      return proc;
    };
    for (let i = 0; i < replicas; i++) await startSignaling(i);
    const services: ServiceEndpoint[] = [];
    const startOneService = async (name: SupportingService) => {
      // meeting-join calls Graph itself (online meetings) and serves a REST API: it gets the Graph and API settings.
      // recording-compliance lists recordings and media pods write them (as signaling does): they get the Blob storage.
      const env = {
        NATS_URL: nats.url,
        NATS_NAMESPACE: namespace,
        ...(name === 'meeting-join' ? graphAndApiEnv(emulator) : {}),
        ...(name !== 'meeting-join' && blobConnectionString ? { BLOB_CONNECTION_STRING: blobConnectionString } : {}),
      };
      const endpoint = await startService(app(name), name, env, options, emulator.http, started);
      services.push(endpoint);
      return endpoint;
    };
    for (const name of options.services ?? []) await startOneService(name);
    return {
      webhookBaseUrl,
      services,
      ...(blobConnectionString ? { blobConnectionString } : {}),
      startService: startOneService,
      nats,
      namespace,
      emulator,
      signaling,
      signalingUrls,
      startSignaling,
      stop: async () => {
        await Promise.all(started.map((p) => p.stop()));
        await balancer?.close();
        await emulator.http.close();
        await azurite?.stop();
        await nats.stop();
      },
    };
  } catch (error) {
    await Promise.all(started.map((p) => p.kill()));
    await balancer?.close();
    await azurite?.stop();
    await nats.stop();
    throw error;
  }
}

/** How an app is started: its main.js on a node binary, in a folder, with base environment. */
interface AppCommand {
  main: string;
  cwd?: string;
  node: string;
  env: Record<string, string>;
}

function appProcess(app: AppCommand): { command: string; args: string[]; cwd?: string } {
  return { command: app.node, args: [app.main], cwd: app.cwd };
}

async function startEmulator(app: AppCommand, stateDir: string, webhookUrl: string, options: PlatformOptions, started: ManagedProcess[]): Promise<Emulator> {
  const port = await freePort();
  const proc = new ManagedProcess({
    name: 'graph-emulator',
    ...appProcess(app),
    onLine: options.onLine,
    env: {
      ...app.env,
      EMULATOR_HOST: '127.0.0.1',
      EMULATOR_PORT: String(port),
      EMULATOR_STATE_DIR: stateDir,
      EMULATOR_BOT_WEBHOOK_URL: webhookUrl,
      EMULATOR_BOT_CLIENT_SECRET: EMULATOR_SECRET,
      EMULATOR_API_CLIENT_ID: API_CLIENT.clientId,
      EMULATOR_API_CLIENT_SECRET: API_CLIENT.secret,
      EMULATOR_API_AUDIENCE: API_CLIENT.audience,
      ...options.emulatorEnv,
    },
  });
  started.push(proc);
  const line = await proc.waitForLine(/graph emulator listening/, 30_000);
  const { baseUrl, caPath, tenantId, botAppId } = JSON.parse(line) as { baseUrl: string; caPath: string; tenantId: string; botAppId: string };
  const caPem = readFileSync(caPath, 'utf8');
  const http = new JsonHttp(caPem);
  const apiToken = async () => {
    const res = await http.form<{ access_token?: string }>(`${baseUrl}/${tenantId}/oauth2/v2.0/token`, {
      grant_type: 'client_credentials',
      client_id: API_CLIENT.clientId,
      client_secret: API_CLIENT.secret,
      scope: `${API_CLIENT.audience}/.default`,
    });
    if (res.status !== 200 || !res.body.access_token) throw new Error(`the emulator issued no API token: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.access_token;
  };
  const clientSecret = options.emulatorEnv?.['EMULATOR_BOT_CLIENT_SECRET'] ?? EMULATOR_SECRET;
  return { process: proc, baseUrl, caPath, caPem, tenantId, botAppId, clientSecret, apiClient: API_CLIENT, http, apiToken };
}

/** What a service needs to get Graph tokens from the emulator, call its Graph, and check API tokens it issues. */
function graphAndApiEnv(emulator: Emulator): Record<string, string> {
  return {
    NODE_EXTRA_CA_CERTS: emulator.caPath,
    BOT_APP_ID: emulator.botAppId,
    BOT_TENANT_ID: emulator.tenantId,
    BOT_CLIENT_SECRET: emulator.clientSecret,
    AUTHORITY_HOST: new URL(emulator.baseUrl).origin,
    GRAPH_BASE_URL: `${emulator.baseUrl}/v1.0`,
    API_AUTH_OIDC_URL: `${emulator.baseUrl}/${emulator.tenantId}/v2.0/.well-known/openid-configuration`,
    API_AUTH_AUDIENCE: emulator.apiClient.audience,
  };
}

async function startService(
  app: AppCommand,
  name: SupportingService,
  env: Record<string, string>,
  options: PlatformOptions,
  http: JsonHttp,
  started: ManagedProcess[],
): Promise<ServiceEndpoint> {
  const port = await freePort();
  const grpcPort = name === 'media' ? await freePort() : undefined;
  const proc = new ManagedProcess({
    name,
    ...appProcess(app),
    onLine: options.onLine,
    env: { ...app.env, ...env, ...options.serviceEnv?.[name], HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port), ...(grpcPort ? { GRPC_HOST: '127.0.0.1', GRPC_PORT: String(grpcPort) } : {}) },
  });
  started.push(proc);
  const httpUrl = `http://127.0.0.1:${port}`;
  await waitForReady(proc, `${httpUrl}/health/ready`, http);
  return { name, process: proc, httpUrl, ...(grpcPort ? { grpcPort } : {}) };
}

async function waitForReady(proc: ManagedProcess, url: string, http: JsonHttp): Promise<void> {
  try {
    await waitUntil(async () => {
      if (!proc.running) throw new WaitAborted(`${proc.options.name} exited before it was ready`);
      return (await http.send('GET', url)).status === 200;
    }, `${proc.options.name} to be ready at ${url}`, 30_000, 200);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- ${proc.options.name} output ---\n${proc.tail(30)}`);
  }
}
