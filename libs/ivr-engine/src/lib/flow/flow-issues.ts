/** One problem found in a flow file, located in its source text (line and column count from 1; 0 when unknown). */
export interface FlowIssue {
  source: string;
  line: number;
  column: number;
  /** Dotted path of the offending value, e.g. `steps.menu.gather.maxDigits` (empty for the document itself). */
  path: string;
  message: string;
}

export function formatIssue(issue: FlowIssue): string {
  const where = issue.line > 0 ? `${issue.source}:${issue.line}:${issue.column}` : issue.source;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** Thrown when a flow (or a webhook's inline steps) is invalid; `issues` lists every problem, in source order. */
export class FlowValidationError extends Error {
  override readonly name = 'FlowValidationError';
  readonly issues: readonly FlowIssue[];

  constructor(source: string, issues: readonly FlowIssue[]) {
    const sorted = [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
    const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
    super(`${source} is not a valid flow (${count}):\n${sorted.map((i) => `  ${formatIssue(i)}`).join('\n')}`);
    this.issues = sorted;
  }
}

export type IssuePath = readonly PropertyKey[];

/** `['steps', 'menu', 'play', 0]` → `steps.menu.play[0]`. */
export function formatPath(path: IssuePath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
