import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { workspaceRoot } from './workspace';

/**
 * Azurite's development account: published in Azurite's documentation and the same on every machine, it opens
 * nothing but a local emulator.
 */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

const STOP_GRACE_MS = 1500;

export interface AzuriteEndpoint {
  /** An Azure Storage connection string for `@azure/storage-blob` (BLOB_CONNECTION_STRING). */
  connectionString: string;
  blobEndpoint: string;
  stop(): Promise<void>;
}

/** The connection string of Azurite's development account at `blobEndpoint`. */
export const azuriteConnectionString = (blobEndpoint: string): string =>
  `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_ACCOUNT_KEY};BlobEndpoint=${blobEndpoint};`;

/** Starts Azurite's blob service (npm `azurite`, from node_modules/.bin) on a free port with its own temporary folder. */
export async function startAzurite(root = workspaceRoot()): Promise<AzuriteEndpoint> {
  const port = await freePort();
  const location = mkdtempSync(join(tmpdir(), 'switchboard-azurite-'));
  const bin = join(root, 'node_modules', '.bin', 'azurite-blob');
  const child = spawn(bin, ['--blobHost', '127.0.0.1', '--blobPort', String(port), '--location', location, '--silent', '--skipApiVersionCheck', '--loose'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const blobEndpoint = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      // Azurite waits for idle keep-alive connections on SIGTERM; its temporary data is not worth waiting for.
      const forced = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(forced);
    }
    rmSync(location, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && child.exitCode === null) {
    // Any HTTP answer (Azurite refuses an unsigned request with 4xx) means it listens.
    if (await fetch(`${blobEndpoint}?comp=list`, { signal: AbortSignal.timeout(1000) }).then(() => true, () => false)) {
      return { connectionString: azuriteConnectionString(blobEndpoint), blobEndpoint, stop };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`azurite-blob (${bin}) did not start on port ${port}: ${stderr.trim() || 'no output'}; is the npm package azurite installed?`);
}

/**
 * Azurite for one spec file, like `natsForSpecFile`: started before the file's tests, stopped after them. Read
 * `connectionString` inside tests and hooks.
 */
export function azuriteForSpecFile(): { readonly connectionString: string } {
  let endpoint: AzuriteEndpoint | undefined;
  beforeAll(async () => {
    endpoint = await startAzurite();
  }, 30_000);
  afterAll(() => endpoint?.stop());
  return {
    get connectionString(): string {
      if (!endpoint) throw new Error('Azurite is not started yet: read its connection string inside a test or a hook');
      return endpoint.connectionString;
    },
  };
}
