import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import type { NatsNames } from '@switchboard/nats-contracts';
import { freePort } from './ports';

export interface NatsEndpoint {
  url: string;
  /** True when this process started the server (and `stop` ends it). */
  started: boolean;
  stop(): Promise<void>;
}

export const NATS_INSTALL_HINT =
  'Install NATS with JetStream support: `sudo apt-get install nats-server` (Debian/Ubuntu), ' +
  '`brew install nats-server` (macOS), or set NATS_URL to a running server started with `-js`.';

/** A user the server requires (`--user`/`--pass`); the probe connects as it. */
export interface NatsUser {
  user: string;
  pass: string;
}

/** Does a NATS server with JetStream answer at `url`? Resolves false when nothing answers. */
export async function natsAnswers(url: string, auth?: NatsUser): Promise<boolean> {
  let nc;
  try {
    nc = await connect({ servers: url, ...auth, timeout: 1500, reconnect: false, name: 'switchboard-probe' });
  } catch {
    return false;
  }
  try {
    await (await nc.jetstreamManager({ timeout: 2000 })).getAccountInfo();
    return true;
  } catch (error) {
    throw new Error(`NATS at ${url} answers but JetStream is not enabled (${(error as Error).message}). ${NATS_INSTALL_HINT}`);
  } finally {
    await nc.close();
  }
}

/** `NATS_SERVER_BIN`, then PATH, then the sbin folders Debian installs into. */
export function findNatsServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env['NATS_SERVER_BIN']) return existsSync(env['NATS_SERVER_BIN']) ? env['NATS_SERVER_BIN'] : undefined;
  const dirs = [...(env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/opt/homebrew/bin'];
  return dirs.map((d) => join(d, 'nats-server')).find((p) => p && existsSync(p));
}

/**
 * The server at `url` when one answers; otherwise a `nats-server -js` started from PATH on a free port with its
 * own store, stopped by `stop()`. Fails with install instructions when there is neither.
 */
export async function ensureNats(url = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222'): Promise<NatsEndpoint> {
  if (await natsAnswers(url)) return { url, started: false, stop: async () => undefined };
  const bin = findNatsServer();
  if (!bin) throw new Error(`No NATS server answers at ${url} and no nats-server binary was found. ${NATS_INSTALL_HINT}`);
  return startNatsServer(bin);
}

/** Starts `nats-server -js` on a free port with a temporary store; with `auth`, clients must log in as that user. */
export async function startNatsServer(bin: string, auth?: NatsUser): Promise<NatsEndpoint> {
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'switchboard-nats-'));
  const authArgs = auth ? ['--user', auth.user, '--pass', auth.pass] : [];
  const child = spawn(bin, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir, ...authArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = `nats://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(storeDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (await natsAnswers(url, auth).catch(() => false)) return { url, started: true, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`nats-server (${bin}) did not become ready on ${url}: ${stderr.trim() || 'no output'}`);
}

/** Removes every stream, KV bucket and object store of a namespace: what a test or benchmark run created. */
export async function removeJetStreamNamespace(nc: NatsConnection, names: NatsNames): Promise<void> {
  if (names.namespace === '') throw new Error('removeJetStreamNamespace needs a namespace: the empty one is the live platform');
  const jsm = await nc.jetstreamManager();
  for (const stream of names.streams) await jsm.streams.delete(stream).catch(() => undefined);
}
