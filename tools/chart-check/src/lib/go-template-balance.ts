/**
 * A structural check of Go templates (Helm has no binary here): every `{{` has its `}}`, parentheses and
 * quotes inside actions close, and block actions (`if`, `range`, `with`, `define`, `block`) pair with `end`.
 */
export interface TemplateIssue {
  line: number;
  message: string;
}

const BLOCK_OPENERS = new Set(['if', 'range', 'with', 'define', 'block']);
const ELSE_PARENTS = new Set(['if', 'range', 'with']);

interface Action {
  body: string;
  line: number;
}

interface OpenBlock {
  keyword: string;
  line: number;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Index just after the `}}` that closes the action opened at `start`, or -1; skips strings and comments. */
function findActionEnd(text: string, start: number, issues: TemplateIssue[]): number {
  let depth = 0;
  let i = start + 2;
  while (i < text.length) {
    const c = text[i];
    if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return -1;
      i = close + 2;
    } else if (c === '"' || c === '`' || c === "'") {
      const close = findStringEnd(text, i);
      if (close < 0) {
        issues.push({ line: lineAt(text, i), message: `unterminated ${c} string in action` });
        return -1;
      }
      i = close + 1;
    } else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      if (--depth < 0) issues.push({ line: lineAt(text, i), message: 'unexpected ")" in action' });
      i++;
    } else if (text.startsWith('}}', i)) {
      if (depth > 0) issues.push({ line: lineAt(text, start), message: 'unclosed "(" in action' });
      return i + 2;
    } else if (text.startsWith('{{', i)) {
      issues.push({ line: lineAt(text, i), message: '"{{" inside an action that was not closed' });
      return -1;
    } else {
      i++;
    }
  }
  return -1;
}

function findStringEnd(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (quote !== '`' && text[i] === '\\') i++;
    else if (text[i] === quote) return i;
    else if (quote !== '`' && text[i] === '\n') return -1;
  }
  return -1;
}

function scanActions(text: string, issues: TemplateIssue[]): Action[] {
  const actions: Action[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    const strayClose = text.indexOf('}}', i);
    if (strayClose >= 0 && (open < 0 || strayClose < open)) {
      issues.push({ line: lineAt(text, strayClose), message: '"}}" without a matching "{{"' });
    }
    if (open < 0) break;
    const end = findActionEnd(text, open, issues);
    if (end < 0) {
      issues.push({ line: lineAt(text, open), message: '"{{" is never closed by "}}"' });
      break;
    }
    const body = text
      .slice(open + 2, end - 2)
      .replace(/^-\s/, '')
      .replace(/\s-$/, '')
      .trim();
    actions.push({ body, line: lineAt(text, open) });
    i = end;
  }
  return actions;
}

function checkBlocks(actions: Action[], issues: TemplateIssue[]): void {
  const stack: OpenBlock[] = [];
  for (const { body, line } of actions) {
    if (body.startsWith('/*')) continue;
    const keyword = body.split(/[\s(]/, 1)[0];
    if (BLOCK_OPENERS.has(keyword)) {
      stack.push({ keyword, line });
    } else if (keyword === 'else') {
      const top = stack[stack.length - 1];
      if (!top || !ELSE_PARENTS.has(top.keyword)) issues.push({ line, message: '"else" outside an if/range/with block' });
    } else if (keyword === 'end') {
      if (!stack.pop()) issues.push({ line, message: '"end" without an open block' });
    }
  }
  for (const open of stack) issues.push({ line: open.line, message: `"${open.keyword}" opened here is never closed by "end"` });
}

export function checkGoTemplateBalance(text: string): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  checkBlocks(scanActions(text, issues), issues);
  return issues.sort((a, b) => a.line - b.line);
}
