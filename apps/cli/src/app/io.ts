/** What a command reads and writes: passed in, so tests run commands in-process with their own environment. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  out(text: string): void;
  err(text: string): void;
}

/** A wrong command line or configuration: printed with the usage hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_OK = 0;
/** Something is wrong with what was checked (doctor found a problem, a flow or manifest is invalid). */
export const EXIT_PROBLEM = 1;
export const EXIT_USAGE = 2;
