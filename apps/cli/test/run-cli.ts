import { run } from '../src/app/cli';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs one command line in-process with exactly `env` (nothing from the test's own environment). */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = {}, cwd = process.cwd()): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await run(argv, { env, cwd, out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

export const BOT_APP_ID = '5b7e2c9a-1d4f-4e8b-a3c6-0f9e8d7c6b5a';
export const TENANT_ID = '8c2f1f5e-3b1a-4f0e-9d7c-6a5b4c3d2e1f';
