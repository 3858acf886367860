import { join } from 'node:path';
import { ManagedProcess } from '@switchboard/dev-infra';

/** A server the load generator measures, running in its own process. */
export interface BenchTarget {
  label: string;
  origin: string;
  /** Waits until work the load left behind is done, so the next phase starts from a quiet server. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** The bare node:http baseline in a child process (TypeScript through tsx's loader, which only costs start-up). */
export async function startBaseline(root: string): Promise<BenchTarget> {
  const proc = new ManagedProcess({
    name: 'baseline',
    command: process.execPath,
    args: ['--import', 'tsx', join(root, 'apps', 'signaling', 'bench', 'baseline-server.ts')],
    cwd: root,
  });
  try {
    const line = await proc.waitForLine(/baseline listening/, 20_000);
    const { port } = JSON.parse(line) as { port: number };
    return { label: 'bare node:http', origin: `http://127.0.0.1:${port}`, settle: async () => undefined, stop: () => proc.stop() };
  } catch (error) {
    await proc.kill();
    throw error;
  }
}
