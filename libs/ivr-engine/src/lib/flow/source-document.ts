import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { formatPath, type FlowIssue, type IssuePath } from './flow-issues';

/**
 * A flow file parsed with the YAML parser (JSON is YAML, so both get positions),
 * able to point any value path back at its line and column.
 */
export class SourceDocument {
  readonly issues: FlowIssue[] = [];
  readonly value: unknown;
  private readonly doc: Document;
  private readonly lines = new LineCounter();

  /** Without text (a value that was already parsed) issues carry paths but no line and column. */
  private readonly positioned: boolean;

  constructor(
    readonly source: string,
    input: { text: string } | { value: unknown },
  ) {
    this.positioned = 'text' in input;
    this.doc = 'text' in input ? parseDocument(input.text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true }) : valueDocument(input.value);
    for (const error of this.doc.errors) {
      this.issues.push(this.at(error.pos[0], [], syntaxMessage(error.code, error.message)));
    }
    // Aliases are capped so that a crafted file cannot expand into gigabytes.
    this.value = this.issues.length ? undefined : this.doc.toJS({ maxAliasCount: 50 });
  }

  /** An issue for the value at `path`; with `key`, at that key of the mapping (unknown or misspelled keys). */
  issue(path: IssuePath, message: string, key?: string): FlowIssue {
    const node = this.nearestNode(path);
    let offset = node?.range?.[0] ?? 0;
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && (String(p.key.value) === key || p.key.source === key));
      if (pair && isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
    }
    return this.at(offset, key === undefined ? path : [...path, key], message);
  }

  /** Mapping keys that YAML read as non-strings and whose text differs from their string form (`01:` → 1). */
  keyTextMismatches(path: IssuePath): string[] {
    const node = this.doc.getIn(path as PropertyKey[], true);
    if (!isMap(node)) return [];
    const out: string[] = [];
    for (const pair of node.items) {
      if (isScalar(pair.key) && typeof pair.key.value !== 'string' && pair.key.source !== String(pair.key.value)) {
        out.push(pair.key.source ?? String(pair.key.value));
      }
    }
    return out;
  }

  private nearestNode(path: IssuePath): Node | undefined {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n) as PropertyKey[], true);
      if (node && (isMap(node) || isSeq(node) || isScalar(node))) return node;
    }
    return undefined;
  }

  private at(offset: number, path: IssuePath, message: string): FlowIssue {
    const { line, col } = this.positioned ? this.lines.linePos(offset) : { line: 0, col: 0 };
    return { source: this.source, line, column: col, path: formatPath(path), message };
  }
}

function syntaxMessage(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'duplicate key (each key may appear once)';
  return `syntax error: ${message}`;
}

/** A document over an already-parsed value, so that the same path lookups work (JSON-safe copy first). */
function valueDocument(value: unknown): Document {
  const copy: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value) ?? 'null');
  return new Document(copy);
}
