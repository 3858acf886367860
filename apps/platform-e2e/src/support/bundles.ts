import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { workspaceRoot } from '@switchboard/dev-infra';

export interface InstalledBundles {
  /** Holds `<app>/main.js` and `<app>/node_modules` for each app. */
  dir: string;
  apps: string[];
  path(...segments: string[]): string;
  /** The node_modules folders Node would search from the app's folder (every one that exists). */
  moduleFolders(app: string): string[];
  remove(): void;
}

/**
 * Copies each built app (`dist/apps/<app>`) to a temporary folder outside the workspace and installs the packages
 * its generated package.json and lock file declare, as an image build does (`npm ci --omit=dev`).
 */
export async function installBundles(apps: string[]): Promise<InstalledBundles> {
  const root = workspaceRoot();
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bundles-'));
  const path = (...segments: string[]) => join(dir, ...segments);
  try {
    for (const app of apps) {
      const built = join(root, 'dist', 'apps', app);
      if (!existsSync(join(built, 'package-lock.json'))) throw new Error(`${built} has no package-lock.json: build it first (npx nx run ${app}:build)`);
      cpSync(built, path(app), { recursive: true });
    }
    await Promise.all(
      apps.map((app) =>
        promisify(execFile)('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
          cwd: path(app),
          timeout: 300_000,
        }).catch((error: Error & { stderr?: string }) => {
          throw new Error(`npm ci for ${app} failed: ${error.stderr || error.message}`);
        }),
      ),
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    apps,
    path,
    moduleFolders: (app) => {
      const folders: string[] = [];
      for (let d = path(app); ; d = dirname(d)) {
        if (existsSync(join(d, 'node_modules'))) folders.push(join(d, 'node_modules'));
        if (dirname(d) === d) return folders;
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
