import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import {
  freePort,
  launchPlatform,
  ManagedProcess,
  removeJetStreamNamespace,
  Teardown,
  waitUntil,
  type Emulator,
  type RunningPlatform,
} from '@switchboard/dev-infra';
import { natsNames } from '@switchboard/nats-contracts';

/** A bot (the platform, or the bare baseline) with its own emulator, ready to take calls. */
export interface SetupTarget {
  label: string;
  emulator: Emulator;
  /** Waits until the bot has finished what the last calls left behind, so the next phase starts from quiet. */
  settle(): Promise<void>;
  /** Lines the bot side and the emulator logged at warn or above. */
  logLines(): string[];
  stop(): Promise<void>;
}

/** pino's level of a JSON log line; a line that is not pino's counts as a warning (stack traces, crashes). */
function pinoLevel(line: string): number {
  try {
    const level = (JSON.parse(line) as { level?: unknown }).level;
    return typeof level === 'number' ? level : 40;
  } catch {
    return 40;
  }
}
const WARN = 40;
const warningsOf = (proc: ManagedProcess) =>
  proc.output().split('\n').filter((l) => l.trim() !== '' && pinoLevel(l) >= WARN).map((l) => `[${proc.options.name}] ${l}`);

/** launchPlatform under a fresh namespace and emulator state folder, all of it undone by the returned teardown. */
async function launchIsolated(emulatorEnv: Record<string, string> = {}, signalingReplicas = 1): Promise<{ platform: RunningPlatform; teardown: Teardown; namespace: string }> {
  const teardown = new Teardown();
  const stateDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-emulator-'));
  teardown.add(async () => rmSync(stateDir, { recursive: true, force: true }));
  const namespace = `bench-setup-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  try {
    // The emulator keeps logging at info: launchPlatform waits for its `listening` line, and it logs little else there.
    const platform = await launchPlatform({ namespace, stateDir, emulatorEnv, signalingReplicas, signalingEnv: { LOG_LEVEL: 'warn' } });
    const nc = await connect({ servers: platform.nats.url, name: 'call-setup-bench' });
    teardown.add(() => nc.close());
    teardown.add(async () => {
      if (platform.nats.started) return; // a server this run started takes its store with it
      await removeJetStreamNamespace(nc, natsNames(namespace));
    });
    teardown.add(() => platform.stop());
    return { platform, teardown, namespace };
  } catch (error) {
    await teardown.run();
    throw error;
  }
}

/** The platform under test: the emulator calls the built signaling service (JWT, JetStream, KV, the IVR runtime). */
export async function startSubject(replicas = 1): Promise<SetupTarget> {
  const { platform, teardown, namespace } = await launchIsolated({}, replicas);
  const names = natsNames(namespace);
  const nc = await connect({ servers: platform.nats.url, name: 'call-setup-bench-settle' });
  teardown.add(() => nc.close());
  const jsm = await nc.jetstreamManager();
  return {
    label: replicas > 1 ? `signaling × ${replicas} (JWT + JetStream + KV)` : 'signaling (JWT + JetStream + KV)',
    emulator: platform.emulator,
    settle: () =>
      waitUntil(async () => {
        const info = await jsm.consumers.info(names.notificationsStream, names.orchestratorConsumer);
        return info.num_pending + info.num_ack_pending === 0;
      }, 'the orchestrator consumer to apply every stored notification', 60_000, 50),
    logLines: () => [...platform.signaling, platform.emulator.process].flatMap(warningsOf),
    stop: () => teardown.run(),
  };
}

/**
 * The baseline: the emulator's webhook points at the bare bot in baseline-bot.ts. launchPlatform also starts a
 * signaling replica, which no notification reaches and which stays idle.
 */
export async function startBaseline(root: string): Promise<SetupTarget> {
  const port = await freePort();
  const { platform, teardown } = await launchIsolated({ EMULATOR_BOT_WEBHOOK_URL: `http://127.0.0.1:${port}/api/calling` });
  const { emulator } = platform;
  const bot = new ManagedProcess({
    name: 'baseline-bot',
    command: process.execPath,
    args: ['--import', 'tsx', join(root, 'apps', 'platform-e2e', 'bench', 'baseline-bot.ts')],
    cwd: root,
    env: {
      TSX_TSCONFIG_PATH: join(root, 'apps', 'platform-e2e', 'tsconfig.json'),
      BASELINE_PORT: String(port),
      EMULATOR_BASE_URL: emulator.baseUrl,
      EMULATOR_CA_PATH: emulator.caPath,
      BOT_TENANT_ID: emulator.tenantId,
      BOT_APP_ID: emulator.botAppId,
      BOT_CLIENT_SECRET: emulator.clientSecret,
    },
  });
  teardown.add(() => bot.stop());
  try {
    await bot.waitForLine(/baseline bot listening/, 30_000);
  } catch (error) {
    await teardown.run();
    throw error;
  }
  return {
    label: 'bare node:http bot',
    emulator,
    settle: async () => undefined,
    logLines: () => [bot, emulator.process].flatMap(warningsOf),
    stop: () => teardown.run(),
  };
}
