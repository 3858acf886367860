import { PriorityGate } from './priority-gate';

/** A task that runs until released, noting when it starts. */
function blocker(started: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { task: () => (started.push(name), done), release: () => release() };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('PriorityGate', () => {
  it('runs at most `slots` tasks at once', async () => {
    const gate = new PriorityGate(2);
    const started: string[] = [];
    const tasks = ['a', 'b', 'c'].map((name) => blocker(started, name));
    const runs = tasks.map((t) => gate.run('normal', t.task));
    await turn();
    expect(started).toEqual(['a', 'b']);
    expect(gate.backlog()).toEqual({ urgent: 0, normal: 1 });
    tasks[0].release();
    await turn();
    expect(started).toEqual(['a', 'b', 'c']);
    tasks[1].release();
    tasks[2].release();
    await Promise.all(runs);
    expect(gate.backlog()).toEqual({ urgent: 0, normal: 0 });
  });

  it('gives a freed slot to a waiting urgent task before normal tasks that waited longer', async () => {
    const gate = new PriorityGate(1);
    const started: string[] = [];
    const first = blocker(started, 'first');
    const normal = ['n1', 'n2'].map((name) => blocker(started, name));
    const urgent = blocker(started, 'u1');
    const runs = [gate.run('normal', first.task), ...normal.map((t) => gate.run('normal', t.task)), gate.run('urgent', urgent.task)];
    await turn();
    expect(gate.backlog()).toEqual({ urgent: 1, normal: 2 });
    first.release();
    await turn();
    urgent.release();
    await turn();
    normal[0].release();
    await turn();
    normal[1].release();
    await Promise.all(runs);
    expect(started).toEqual(['first', 'u1', 'n1', 'n2']);
  });

  it('frees the slot of a task that failed', async () => {
    const gate = new PriorityGate(1);
    await expect(gate.run('normal', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run('normal', () => Promise.resolve('next'))).resolves.toBe('next');
  });
});
