import { parse } from 'yaml';

/**
 * Checks the bitnami-style documentation of values.yaml: every value is covered by a `## @param <path>`
 * (or an enclosing object's param, or `## @skip`), and no param names a value that does not exist.
 */
export interface ValuesDocReport {
  undocumented: string[];
  unknownParams: string[];
}

type Tree = Record<string, unknown>;

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Dotted paths of the leaves (scalars, arrays and empty objects) of a values tree. */
export function leafPaths(tree: unknown, prefix = ''): string[] {
  if (!isTree(tree) || Object.keys(tree).length === 0) return prefix ? [prefix] : [];
  return Object.entries(tree).flatMap(([key, value]) => leafPaths(value, prefix ? `${prefix}.${key}` : key));
}

/** True when `path` (dotted) names a value or object in the tree. */
export function hasPath(tree: unknown, path: string): boolean {
  let node: unknown = tree;
  for (const key of path.split('.')) {
    if (!isTree(node) || !(key in node)) return false;
    node = node[key];
  }
  return true;
}

function annotated(valuesYaml: string, tag: 'param' | 'skip'): string[] {
  const pattern = new RegExp(`^\\s*## @${tag} ([\\w.-]+)`, 'gm');
  return [...valuesYaml.matchAll(pattern)].map((m) => m[1]);
}

export function checkValuesDocumented(valuesYaml: string): ValuesDocReport {
  const values: unknown = parse(valuesYaml);
  const covered = [...annotated(valuesYaml, 'param'), ...annotated(valuesYaml, 'skip')];
  const isCovered = (leaf: string) => covered.some((p) => leaf === p || leaf.startsWith(`${p}.`));
  return {
    undocumented: leafPaths(values).filter((leaf) => !isCovered(leaf)),
    unknownParams: covered.filter((p) => !hasPath(values, p)),
  };
}
