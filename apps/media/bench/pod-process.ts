import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from '@switchboard/dev-infra';
import type { PodMeasure, PodMode, PodRequest } from './pod-under-test';

/** The pod under test in its own Node process (one core's worth of work), driven over IPC. */
export class PodProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(mode: PodMode, options: { play?: boolean } = {}): Promise<PodProcess> {
    const root = workspaceRoot();
    const child = fork(join(__dirname, 'pod-under-test.ts'), [], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.base.json') },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const pod = new PodProcess(child, 0);
    const { port } = await pod.ask<{ port: number }>({ cmd: 'start', mode, play: options.play ?? false });
    return new PodProcess(child, port);
  }

  measure(options: { reset?: boolean; gc?: boolean } = {}): Promise<PodMeasure> {
    return this.ask({ cmd: 'measure', reset: options.reset ?? true, gc: options.gc ?? false });
  }

  async stop(): Promise<void> {
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ cmd: 'stop' } satisfies PodRequest);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    this.child.kill('SIGKILL');
  }

  private ask<T>(request: PodRequest): Promise<T> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the pod under test exited (${code})`));
      this.child.once('exit', onExit);
      this.child.once('message', (m) => {
        this.child.off('exit', onExit);
        resolve(m as T);
      });
      this.child.send(request);
    });
  }
}
