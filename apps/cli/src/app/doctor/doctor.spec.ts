import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type KV, type NatsConnection } from 'nats';
import { freePort, ManagedProcess, natsForSpecFile, workspaceRoot } from '@switchboard/dev-infra';
import { natsNames, type MediaHeartbeat } from '@switchboard/nats-contracts';
import { startEmulatorProcess, type EmulatorProcess } from '../../../test/emulator-process';
import { runCli } from '../../../test/run-cli';
import type { DoctorReport } from './doctor';

const FEATURES = 'calling,meetings,app-hosted-media';

// At the top level, so the server stops after the describe's own afterAll has cleaned up on it.
const nats = natsForSpecFile();

describe('doctor against the emulator, NATS and heartbeating media pods', () => {
  let stateDir: string;
  let emulator: EmulatorProcess;
  let nc: NatsConnection;
  let kv: KV;
  let callback: Server;
  let callbackUrl: string;
  /** What the emulator grants by default: every calling permission. */
  let allRoles: string[];
  const names = natsNames(`doctor-${process.pid}-${Date.now() % 100000}`);

  const heartbeat = (pod: string, ageMs: number, extra: Partial<MediaHeartbeat> = {}): string =>
    JSON.stringify({ pod, activeCalls: 3, maxCalls: 100, draining: false, at: new Date(Date.now() - ageMs).toISOString(), intervalMs: 5000, ...extra });
  const setRoles = async (roles: string[]) => {
    const res = await emulator.http.send('PUT', `${emulator.baseUrl}/emulator/bot/roles`, { roles });
    expect(res.status).toBe(200);
  };
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    BOT_APP_ID: emulator.botAppId,
    BOT_TENANT_ID: emulator.tenantId,
    BOT_CLIENT_SECRET: 'local-dev-secret',
    AUTHORITY_HOST: new URL(emulator.baseUrl).origin,
    GRAPH_BASE_URL: `${emulator.baseUrl}/v1.0`,
    CALLBACK_OIDC_URL: `${emulator.baseUrl}/botframework/v1/.well-known/OpenIdConfiguration`,
    PUBLIC_CALLBACK_URL: callbackUrl,
    API_AUTH_OIDC_URL: `${emulator.baseUrl}/${emulator.tenantId}/v2.0/.well-known/openid-configuration`,
    NATS_URL: nats.url,
    NATS_NAMESPACE: names.namespace,
    NODE_EXTRA_CA_CERTS: emulator.caPath,
    ...extra,
  });
  const doctor = async (extra: NodeJS.ProcessEnv = {}, args: string[] = []) => {
    const text = await runCli(['doctor', '--features', FEATURES, '--timeout-ms', '3000', ...args], env(extra));
    const json = await runCli(['doctor', '--features', FEATURES, '--timeout-ms', '3000', '--json', ...args], env(extra));
    return { ...text, report: JSON.parse(json.out) as DoctorReport, jsonCode: json.code };
  };
  const byCheck = (report: DoctorReport, check: string) => report.findings.filter((f) => f.check === check);

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'switchboard-doctor-'));
    emulator = await startEmulatorProcess(stateDir);
    // Signaling's webhook stand-in, on the emulator's certificate: it refuses unsigned notifications, as signaling does.
    callback = createServer({ cert: emulator.caPem, key: emulator.keyPem }, (req, res) => {
      req.resume();
      res.writeHead(req.method === 'POST' && req.url === '/api/calling' ? 401 : 404).end();
    });
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
    callbackUrl = `https://localhost:${(callback.address() as AddressInfo).port}/api/calling`;
    allRoles = (await emulator.http.send<{ roles: string[] }>('GET', `${emulator.baseUrl}/emulator/bot/roles`)).body.roles;
    expect(allRoles).toContain('Calls.JoinGroupCall.All');
    nc = await connect({ servers: nats.url });
    kv = await nc.jetstream().views.kv(names.mediaPodsBucket, { history: 1, ttl: 120_000 });
  }, 90_000);

  afterAll(async () => {
    await kv?.destroy();
    await nc?.close();
    // Doctor's probes leave keep-alive connections open; close them, or close() waits for them.
    callback?.closeAllConnections();
    await new Promise((resolve) => callback?.close(resolve));
    await emulator?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }, 30_000);

  beforeEach(async () => {
    await setRoles(allRoles);
    await kv.put('sb-media-0', heartbeat('sb-media-0', 1000));
    await kv.delete('sb-media-1');
  });

  it('passes when the token carries every role, the callback answers and a media pod heartbeats', async () => {
    const { code, out, report } = await doctor();
    expect(report.findings.filter((f) => f.status === 'fail')).toEqual([]);
    expect(code).toBe(0);
    expect(out).toMatch(/\[ok {2}\] permissions: the token carries every permission the enabled features need/);
    expect(out).toMatch(/\[ok {2}\] callback URL: https:\/\/localhost:\d+\/api\/calling answers over TLS and refuses an unsigned notification \(401\)/);
    expect(out).toMatch(/\[ok {2}\] callback OpenID configuration: .*issuer https:\/\/api\.botframework\.com, 1 signing key/);
    expect(out).toMatch(/\[ok {2}\] API token issuer: https:\/\/.+\/v2\.0\/\.well-known\/openid-configuration: issuer .+, \d+ signing key/);
    expect(out).toMatch(/\[ok {2}\] media pods: 1 pod\(s\) take calls: sb-media-0 3\/100/);
    expect(out).toMatch(/\[skip\] storage: BLOB_CONNECTION_STRING is not set and compliance recording is off/);
    expect(out).toMatch(/No problems found/);
  });

  it('names a role the token lacks and a media pod that stopped sending heartbeats, and exits non-zero', async () => {
    await setRoles(allRoles.filter((r) => r !== 'Calls.JoinGroupCall.All'));
    await kv.put('sb-media-1', heartbeat('sb-media-1', 60_000, { activeCalls: 7 }));
    const { code, jsonCode, out, report } = await doctor();
    expect(code).toBe(1);
    expect(jsonCode).toBe(1);

    const permissions = byCheck(report, 'permissions');
    expect(permissions).toEqual([
      expect.objectContaining({ status: 'fail', detail: expect.stringMatching(/^the app token lacks the role Calls\.JoinGroupCall\.All, needed to join meetings and group calls/) }),
    ]);
    expect(permissions[0]!.fix).toContain(`${new URL(emulator.baseUrl).origin}/${emulator.tenantId}/adminconsent?client_id=${emulator.botAppId}`);

    const media = byCheck(report, 'media pods');
    expect(media).toEqual([
      expect.objectContaining({ status: 'fail', detail: expect.stringMatching(/^media pod sb-media-1 stopped sending heartbeats: the last one is 6\d s old \(it writes every 5 s\); 7 call\(s\) were on it/) }),
      expect.objectContaining({ status: 'ok', detail: '1 pod(s) take calls: sb-media-0 3/100' }),
    ]);
    expect(report.problems).toBe(2);
    expect(out).toMatch(/^\[FAIL\] permissions: the app token lacks the role Calls\.JoinGroupCall\.All/m);
    expect(out).toMatch(/^ +fix: add Calls\.JoinGroupCall\.All \(Microsoft Graph, Application permission\)/m);
    expect(out).toMatch(/^\[FAIL\] media pods: media pod sb-media-1 stopped sending heartbeats/m);
    expect(out).toMatch(/2 problems found/);
  });

  it('reports a draining pod, and no pod able to take a call', async () => {
    await kv.put('sb-media-0', heartbeat('sb-media-0', 0, { draining: true }));
    const { code, report } = await doctor();
    expect(code).toBe(1);
    expect(byCheck(report, 'media pods').map((f) => [f.status, f.detail])).toEqual([
      ['warn', 'media pod sb-media-0 is draining (3 call(s) left) and takes no new call'],
      ['fail', 'no media pod can take a new call'],
    ]);
  });

  it('counts heartbeating pods against the expected number', async () => {
    const { code, report } = await doctor({}, ['--expect-media-pods', '2']);
    expect(code).toBe(1);
    expect(byCheck(report, 'media pods').find((f) => f.status === 'fail')?.detail).toBe('1 of 2 expected media pods heartbeat');
  });

  it('says what is wrong with the configuration itself, one finding per part', async () => {
    const closed = await freePort();
    const { code, report } = await doctor({
      BOT_CLIENT_SECRET: '',
      PUBLIC_CALLBACK_URL: 'http://bot.example.com/api/calling',
      API_AUTH_OIDC_URL: `https://127.0.0.1:${closed}/v2.0/.well-known/openid-configuration`,
      NATS_URL: `nats://127.0.0.1:${closed}`,
      BLOB_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:${closed}/devstoreaccount1;`,
    });
    expect(code).toBe(1);
    const failed = Object.fromEntries(report.findings.filter((f) => f.status === 'fail').map((f) => [f.check, f.detail]));
    expect(failed).toEqual({
      'bot identity': expect.stringMatching(/^BOT_CLIENT_SECRET: set BOT_CLIENT_SECRET, or BOT_CERTIFICATE_PATH/),
      'callback URL': expect.stringMatching(/is not https; Graph sends call notifications to https URLs only/),
      'API token issuer': expect.stringMatching(new RegExp(`127.0.0.1:${closed}`)),
      NATS: expect.stringMatching(new RegExp(`cannot connect to nats://127.0.0.1:${closed}`)),
      storage: expect.stringMatching(/Blob storage devstoreaccount1 does not answer/),
    });
    expect(byCheck(report, 'app token')[0]).toMatchObject({ status: 'skip' });
    expect(JSON.stringify(report)).not.toContain('a2V5');
    const noIssuer = await doctor({ API_AUTH_OIDC_URL: '' });
    expect(byCheck(noIssuer.report, 'API token issuer')[0]).toMatchObject({ status: 'warn', detail: expect.stringMatching(/REST APIs answer 503/) });
    const noTenant = await doctor({ BOT_TENANT_ID: '' });
    expect(byCheck(noTenant.report, 'bot identity')[0]).toMatchObject({ status: 'fail', detail: 'BOT_TENANT_ID is not set' });
  });

  it('lets the local emulator call signaling over plain http on this machine, with a warning', async () => {
    const local = createHttpServer((req, res) => {
      req.resume();
      res.writeHead(401).end();
    });
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    try {
      const { code, report } = await doctor({ PUBLIC_CALLBACK_URL: `http://127.0.0.1:${(local.address() as AddressInfo).port}/api/calling` });
      expect(byCheck(report, 'callback URL')).toEqual([
        expect.objectContaining({ status: 'warn', detail: expect.stringMatching(/is not https; Graph sends call notifications to https URLs only \(fine for the local emulator\)$/) }),
      ]);
      expect(code).toBe(0);
    } finally {
      await new Promise((resolve) => local.close(resolve));
    }
  });

  it('checks Blob storage with the configured connection string (Azurite), required for compliance recording', async () => {
    const port = await freePort();
    const location = join(stateDir, 'azurite');
    const azurite = new ManagedProcess({
      name: 'azurite',
      command: process.execPath,
      args: [join(workspaceRoot(__dirname), 'node_modules/azurite/dist/src/blob/main.js'), '--location', location, '--blobHost', '127.0.0.1', '--blobPort', String(port)],
    });
    try {
      await azurite.waitForLine(/successfully listens/, 30_000);
      const connection = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`;
      const withStorage = await runCli(['doctor', '--features', 'calling,compliance-recording', '--json'], env({ BLOB_CONNECTION_STRING: connection }));
      const report = JSON.parse(withStorage.out) as DoctorReport;
      expect(byCheck(report, 'storage')).toEqual([{ check: 'storage', status: 'ok', detail: 'Blob storage devstoreaccount1 answers' }]);
      expect(withStorage.code).toBe(0);
      const without = JSON.parse((await runCli(['doctor', '--features', 'calling,compliance-recording', '--json'], env())).out) as DoctorReport;
      expect(byCheck(without, 'storage')[0]).toMatchObject({ status: 'fail', detail: expect.stringMatching(/BLOB_CONNECTION_STRING is not set; compliance recording stores recordings/) });
    } finally {
      await azurite.kill();
    }
  }, 60_000);

  it('refuses a wrong client secret with the fix', async () => {
    const { code, report } = await doctor({ BOT_CLIENT_SECRET: 'not-the-secret' });
    expect(code).toBe(1);
    const token = byCheck(report, 'app token')[0]!;
    expect(token).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^no token: .*invalid_client/) });
    expect(JSON.stringify(report)).not.toContain('not-the-secret');
  });
});
