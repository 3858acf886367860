import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonHttp, ManagedProcess, workspaceRoot } from '@switchboard/dev-infra';

export interface EmulatorProcess {
  baseUrl: string;
  caPath: string;
  /** The emulator's TLS key (its certificate is the CA), so a test server can serve https://localhost too. */
  keyPem: string;
  caPem: string;
  tenantId: string;
  botAppId: string;
  http: JsonHttp;
  stop(): Promise<void>;
}

/** The Graph + Entra ID emulator from its sources (tsx), in its own process, on a free port. */
export async function startEmulatorProcess(stateDir: string, env: Record<string, string> = {}): Promise<EmulatorProcess> {
  const root = workspaceRoot(__dirname);
  const proc = new ManagedProcess({
    name: 'graph-emulator',
    command: process.execPath,
    args: [join(root, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', join(root, 'apps/graph-emulator/tsconfig.json'), join(root, 'apps/graph-emulator/src/main.ts')],
    cwd: root,
    env: { EMULATOR_HOST: '127.0.0.1', EMULATOR_PORT: '0', EMULATOR_STATE_DIR: stateDir, EMULATOR_LOG_LEVEL: 'info', ...env },
  });
  try {
    const line = await proc.waitForLine(/graph emulator listening/, 60_000);
    const { baseUrl, caPath, tenantId, botAppId } = JSON.parse(line) as { baseUrl: string; caPath: string; tenantId: string; botAppId: string };
    const caPem = readFileSync(caPath, 'utf8');
    const http = new JsonHttp(caPem);
    return {
      baseUrl,
      caPath,
      caPem,
      keyPem: readFileSync(join(stateDir, 'tls-key.pem'), 'utf8'),
      tenantId,
      botAppId,
      http,
      stop: async () => {
        await http.close();
        await proc.stop();
      },
    };
  } catch (error) {
    await proc.kill();
    throw error;
  }
}
