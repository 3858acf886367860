import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Agent, fetch } from 'undici';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../src/emulator';

/**
 * Slack for asserting that a scheduled gap was kept, measured with Date.now(): a timer never fires early, but its
 * clock and Date.now() each count whole milliseconds, so a gap of N ms can measure N - 1. Only lower bounds are
 * asserted on gaps: how late a timer fires depends on the machine's load.
 */
export const CLOCK_SLACK_MS = 2;

/** Fast timings so flows finish in milliseconds. */
export const FAST = { promptMs: 60, answerDelayMs: 20, ringMs: 20, recordMs: 80, answerTimeoutMs: 0, keepAliveTimeoutMs: 0 };

export interface TestEmulator extends RunningEmulator {
  agent: Agent;
  stateDir: string;
  dispose(): Promise<void>;
}

/** One state directory per test file, so the TLS certificate is made once and then reused. */
let sharedStateDir: string | undefined;
afterAll(() => {
  if (sharedStateDir) rmSync(sharedStateDir, { recursive: true, force: true });
  sharedStateDir = undefined;
});
function stateDirForFile(): string {
  sharedStateDir ??= mkdtempSync(join(tmpdir(), 'graph-emulator-'));
  return sharedStateDir;
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const stateDir = options.stateDir ?? stateDirForFile();
  const emulator = await startEmulator({
    port: 0,
    stateDir,
    logger: pino({ level: 'silent' }),
    retry: { baseDelayMs: 10, maxDelayMs: 50, maxAttempts: 4, timeoutMs: 2_000 },
    ...options,
    timings: { ...FAST, ...options.timings },
  });
  const agent = new Agent({ connect: { ca: emulator.caPem } });
  return {
    ...emulator,
    agent,
    stateDir,
    dispose: async () => {
      await emulator.stop();
      await agent.close();
    },
  };
}

export interface HttpResult {
  status: number;
  headers: Headers;
  json: unknown;
  text: string;
  bytes: Buffer;
}

/** One HTTPS request to the emulator, trusting its CA. */
export async function call(
  emulator: TestEmulator,
  method: string,
  path: string,
  init: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string | Buffer } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers['authorization'] = `Bearer ${init.token}`;
  let body: string | Buffer | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${emulator.baseUrl}${path}`, { method, headers, body, dispatcher: emulator.agent });
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers as unknown as Headers, json, text, bytes };
}

/** A Graph access token from the emulator's token endpoint (client secret). */
export async function graphToken(emulator: TestEmulator, secret = 'local-dev-secret'): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: emulator.botAppId,
    client_secret: secret,
    scope: 'https://graph.microsoft.com/.default',
  });
  const res = await call(emulator, 'POST', `/${emulator.tenantId}/oauth2/v2.0/token`, {
    raw: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
  return (res.json as { access_token: string }).access_token;
}

/** An msal-node network client that trusts the emulator CA (NODE_EXTRA_CA_CERTS cannot be set inside jest). */
export function msalNetworkClient(ca: string) {
  const send = (method: 'GET' | 'POST') =>
    async function <T>(url: string, options?: { headers?: Record<string, string>; body?: string }) {
      return new Promise<{ headers: Record<string, string>; body: T; status: number }>((resolve, reject) => {
        const req = httpsRequest(url, { method, ca, headers: options?.headers }, (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (data += chunk));
          res.on('end', () => {
            const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
            resolve({ headers, body: JSON.parse(data || '{}') as T, status: res.statusCode ?? 0 });
          });
        });
        req.on('error', reject);
        if (options?.body) req.write(options.body);
        req.end();
      });
    };
  return { sendGetRequestAsync: send('GET'), sendPostRequestAsync: send('POST') };
}

export interface ReceivedPost {
  path: string;
  headers: IncomingHttpHeaders;
  body: CommsEnvelope;
}

export interface CommsEnvelope {
  '@odata.type': string;
  value: {
    '@odata.type': string;
    changeType: string;
    resourceUrl: string;
    resource: string;
    callbackUri: string;
    resourceData: Record<string, unknown> & { state?: string; status?: string };
  }[];
}

/** A plain HTTP server acting as the bot's calling webhook: records every POST, answers with `respond`. */
export class BotReceiver {
  readonly posts: ReceivedPost[] = [];
  /** Every POST received, whatever it was answered with. */
  attempts = 0;
  /** Status codes to answer with, consumed one per POST; 202 afterwards. */
  statuses: number[] = [];
  /** The body a participantJoiningNotification is answered with (its status 200 unless `statuses` says otherwise). */
  joinAnswer: unknown = { '@odata.type': '#microsoft.graph.acceptJoinResponse' };
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let data = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (data += c));
      req.on('end', () => {
        this.attempts += 1;
        const status = this.statuses.shift() ?? 202;
        const body = JSON.parse(data) as CommsEnvelope;
        if (status < 300) this.posts.push({ path: req.url ?? '', headers: req.headers, body });
        const joining = body.value[0]?.resourceData['@odata.type'] === '#microsoft.graph.participantJoiningNotification';
        if (joining && status < 300) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.joinAnswer));
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/calling`;
    return this;
  }

  /** Notifications (one per POST) about one call, in arrival order. */
  forCall(callId: string) {
    return this.posts.map((p) => p.body.value[0]!).filter((n) => n.resourceUrl.startsWith(`/communications/calls/${callId}`));
  }

  async waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.posts.map((p) => p.body.value[0]))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

export const SERVICE_HOSTED = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig', preFetchMedia: [] };
export const mediaPrompt = (name: string) => ({
  '@odata.type': '#microsoft.graph.mediaPrompt',
  mediaInfo: { uri: `https://cdn.example/${name}.wav`, resourceId: name },
});

/** An emulator whose bot webhook is a BotReceiver, plus a Graph token; fields are filled by the hooks. */
export interface BotFixture {
  emulator: TestEmulator;
  bot: BotReceiver;
  token: string;
  /** A Graph calls API request with the token. */
  graph(method: string, path: string, body?: unknown): Promise<HttpResult>;
}

const FIXTURE_HOOK_TIMEOUT_MS = 30_000;

/** Registers setup/teardown hooks (per test or per file) and returns the fixture they fill. */
export function useBotFixture(scope: 'each' | 'all', options: EmulatorOptions = {}): BotFixture {
  const fixture = {
    graph: (method: string, path: string, body?: unknown) =>
      call(fixture.emulator, method, `/v1.0/communications/calls${path}`, { token: fixture.token, body }),
  } as BotFixture;
  const [before, after] = scope === 'each' ? [beforeEach, afterEach] : [beforeAll, afterAll];
  // Starting an emulator (keys, TLS, a token) takes well under a second alone, but several on a busy machine can
  // exceed jest's 5 s default for a hook; the tests' own timeouts still bound each test.
  before(async () => {
    fixture.bot = await new BotReceiver().start();
    fixture.emulator = await startTestEmulator({ botWebhookUrl: fixture.bot.url, ...options });
    fixture.token = await graphToken(fixture.emulator);
  }, FIXTURE_HOOK_TIMEOUT_MS);
  after(async () => {
    await fixture.emulator?.dispose();
    await fixture.bot?.stop();
  }, FIXTURE_HOOK_TIMEOUT_MS);
  return fixture;
}

/** A simulated person calls the bot; resolves once the bot has the `created` notification. */
export async function ringBot(f: BotFixture, caller: { id?: string; displayName?: string } = {}, script?: unknown[]): Promise<string> {
  const res = await call(f.emulator, 'POST', '/emulator/calls/incoming', { body: { caller, script } });
  if (res.status !== 201) throw new Error(`incoming call failed: ${res.status} ${res.text}`);
  const { callId } = res.json as { callId: string };
  await f.bot.waitFor('created', () => f.bot.forCall(callId).length >= 1);
  return callId;
}

/** Rings the bot (the caller follows `script`, if any) and answers; resolves once the bot has seen `established`. */
export async function answeredCall(f: BotFixture, mediaConfig: unknown = SERVICE_HOSTED, caller = {}, script?: unknown[]): Promise<string> {
  const callId = await ringBot(f, caller, script);
  const res = await f.graph('POST', `/${callId}/answer`, { callbackUri: f.bot.url, acceptedModalities: ['audio'], mediaConfig });
  if (res.status !== 202) throw new Error(`answer failed: ${res.status} ${res.text}`);
  await f.bot.waitFor('established', () => f.bot.forCall(callId).some((n) => n.resourceData.state === 'established'));
  return callId;
}

/** The emulator's own view of a call (`GET /emulator/calls/{id}`). */
export async function snapshotOf<T = Record<string, unknown>>(f: BotFixture, callId: string): Promise<T> {
  return (await call(f.emulator, 'GET', `/emulator/calls/${callId}`)).json as T;
}

/** Resolves once a recordResponse operation has begun recording (its prompts are noted as played then). */
export async function recordingBegun(f: BotFixture, callId: string, opId: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { promptsPlayed, operations } = await snapshotOf<{ promptsPlayed: { operationId: string }[]; operations: { id: string; status: string }[] }>(f, callId);
    if (promptsPlayed.some((p) => p.operationId === opId) || operations.some((o) => o.id === opId && o.status !== 'running')) return;
    if (Date.now() > deadline) throw new Error(`recording ${opId} did not begin within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Notifications the bot got about one operation of a call. */
export const operationDone = (f: BotFixture, callId: string, opId: string) =>
  f.bot.waitFor(`operation ${opId} done`, () => f.bot.forCall(callId).find((n) => n.resourceUrl.endsWith(`/operations/${opId}`)));

/** Call-state notifications (not roster or operations) of one call. */
export const statesOf = (f: BotFixture, callId: string) =>
  f.bot.forCall(callId).filter((n) => n.resourceUrl === `/communications/calls/${callId}`).map((n) => n.resourceData.state);

/** A sound description of a WAV body: format fields and the samples. */
export function readWav(body: Buffer) {
  return {
    riff: body.toString('ascii', 0, 4),
    format: body.readUInt16LE(20),
    channels: body.readUInt16LE(22),
    sampleRate: body.readUInt32LE(24),
    bitsPerSample: body.readUInt16LE(34),
    dataBytes: body.readUInt32LE(40),
    durationMs: (body.readUInt32LE(40) / 2 / 16_000) * 1000,
    sample: (ms: number) => body.readInt16LE(44 + Math.floor((ms * 16_000) / 1000) * 2),
  };
}
