import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { K8sObject } from './helm';
import { WORKSPACE_ROOT } from './paths';

export interface SchemaViolation {
  /** `<Kind>/<name>` of the object. */
  object: string;
  error: string;
}

/**
 * Validates each object against the Kubernetes schema of its apiVersion and kind (package `kubernetes-models`).
 * An object of a kind the package does not know is reported too.
 */
export function validateObjects(objects: K8sObject[]): SchemaViolation[] {
  const run = spawnSync(process.execPath, [join(__dirname, 'validate-k8s.mjs')], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    cwd: WORKSPACE_ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`validate-k8s.mjs failed (${run.status}): ${run.stderr}`);
  const results = JSON.parse(run.stdout) as { index: number; error: string }[];
  return results.map(({ index, error }) => ({ object: `${objects[index].kind}/${objects[index].metadata?.name}`, error }));
}
