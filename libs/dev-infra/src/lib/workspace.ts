import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The workspace root: the nearest folder above `from` that holds nx.json. */
export function workspaceRoot(from = process.cwd()): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no nx.json above ${from}: run from inside the Switchboard workspace`);
  }
}

/** The built entry point of an app, with a clear message when it has not been built. */
export function builtApp(name: string, root = workspaceRoot()): string {
  const main = join(root, 'dist', 'apps', name, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} does not exist: build it first (npx nx run ${name}:build)`);
  return main;
}
