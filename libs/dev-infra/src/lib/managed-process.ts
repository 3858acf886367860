import { spawn, type ChildProcess } from 'node:child_process';

export interface ManagedProcessOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called with each complete output line (stdout and stderr). */
  onLine?: (line: string, name: string) => void;
}

/** A child process whose output is kept (the last lines) for diagnostics and whose end can be awaited. */
export class ManagedProcess {
  readonly child: ChildProcess;
  private readonly lines: string[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly options: ManagedProcessOptions) {
    this.child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    for (const stream of [this.child.stdout, this.child.stderr]) {
      let partial = '';
      stream?.on('data', (chunk: Buffer) => {
        const parts = (partial + chunk.toString()).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) this.keep(line);
      });
    }
  }

  private keep(line: string): void {
    this.lines.push(line);
    if (this.lines.length > 2000) this.lines.shift();
    this.options.onLine?.(line, this.options.name);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    return this.lines.join('\n');
  }

  /** Resolves with the first output line matching `pattern`; rejects if the process ends first or time runs out. */
  waitForLine(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const found = this.lines.find((l) => pattern.test(l));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onData = () => {
        const line = this.lines.find((l) => pattern.test(l));
        if (line) finish(() => resolve(line));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`${this.options.name}: no line matching ${pattern} within ${timeoutMs} ms\n${this.tail()}`))),
        timeoutMs,
      );
      const onExit = () => finish(() => reject(new Error(`${this.options.name} exited before ${pattern}\n${this.tail()}`)));
      const finish = (f: () => void) => {
        clearTimeout(timer);
        this.child.stdout?.off('data', onData);
        this.child.stderr?.off('data', onData);
        this.child.off('exit', onExit);
        f();
      };
      this.child.stdout?.on('data', onData);
      this.child.stderr?.on('data', onData);
      this.child.once('exit', onExit);
    });
  }

  tail(n = 40): string {
    return this.lines.slice(-n).join('\n');
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
