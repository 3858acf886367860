import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { readNodeServiceImage, workspaceRoot, type NodeServiceImage } from '@switchboard/dev-infra';

export interface InstalledBundles {
  /** Holds `<app>/main.js` and `<app>/node_modules` for each app. */
  dir: string;
  apps: string[];
  /** The image recipe the folders were assembled by. */
  image: NodeServiceImage;
  path(...segments: string[]): string;
  /** The node_modules folders Node would search from the app's folder (every one that exists). */
  moduleFolders(app: string): string[];
  remove(): void;
}

/** The recipe of the Linux service images, read from docker/node-service.Dockerfile. */
export function nodeServiceImage(): NodeServiceImage {
  return readNodeServiceImage(readFileSync(join(workspaceRoot(), 'docker', 'node-service.Dockerfile'), 'utf8'));
}

/**
 * Gives each built app (`dist/apps/<app>`) the folder its image holds, outside the workspace: the build stage's
 * assemble line of docker/node-service.Dockerfile (`docker/assemble-app.sh`, which copies the bundle and runs
 * `npm ci --omit=dev` from its generated lock file) run from the workspace root, as the image build runs it, with
 * only its destination moved from the image's folder to a temporary one.
 */
export async function installBundles(apps: string[]): Promise<InstalledBundles> {
  const root = workspaceRoot();
  const image = nodeServiceImage();
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bundles-'));
  const path = (...segments: string[]) => join(dir, ...segments);
  try {
    await Promise.all(
      apps.map((app) => {
        const [command, ...args] = image.assemble.map((word) => word.replaceAll('${APP}', app));
        args[args.length - 1] = path(app);
        return promisify(execFile)(command, args, {
          cwd: root,
          timeout: 300_000,
          // Packages already in npm's cache are not fetched again; the versions are the lock file's either way.
          env: { ...process.env, npm_config_prefer_offline: 'true' },
        }).catch((error: Error & { stderr?: string }) => {
          throw new Error(`assembling ${app} (${image.assemble.join(' ')}) failed: ${error.stderr || error.message}`);
        });
      }),
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    apps,
    image,
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

/**
 * A node binary of the image's major version: `SWITCHBOARD_IMAGE_NODE` when set (CI fetches one for the unit tests
 * anyway), otherwise the registry's `node` package of that major through npx.
 */
export async function imageNode(major: number): Promise<string> {
  const node =
    process.env['SWITCHBOARD_IMAGE_NODE'] ||
    (
      await promisify(execFile)('npx', ['-y', '-p', `node@${major}`, 'sh', '-c', 'readlink -f "$(command -v node)"'], { timeout: 300_000 })
    ).stdout.trim();
  const { stdout } = await promisify(execFile)(node, ['--version']);
  if (!stdout.startsWith(`v${major}.`)) throw new Error(`${node} is Node ${stdout.trim()}, the image runs Node ${major}`);
  return node;
}
