/** Text helpers for asserting on chart templates without rendering them. */

/** The body of `{{ define "<name>" }} ... {{ end }}` (the define's own trailing end), or undefined. */
export function defineBody(text: string, name: string): string | undefined {
  const start = new RegExp(`\\{\\{-?\\s*define\\s+"${name.replace(/\./g, '\\.')}"\\s*-?\\}\\}`).exec(text);
  if (!start) return undefined;
  let depth = 1;
  const action = /\{\{-?\s*(\/\*)?\s*(\w+)?[^}]*\}\}/g;
  action.lastIndex = start.index + start[0].length;
  for (let m = action.exec(text); m; m = action.exec(text)) {
    if (m[1]) continue;
    if (m[2] && ['if', 'range', 'with', 'define', 'block'].includes(m[2])) depth++;
    else if (m[2] === 'end' && --depth === 0) return text.slice(start.index + start[0].length, m.index).replace(/^\n/, '');
  }
  return undefined;
}

/** Names given to `define`. */
export function definedTemplates(text: string): string[] {
  return [...text.matchAll(/\{\{-?\s*define\s+"([^"]+)"/g)].map((m) => m[1]);
}

/** Names used with `include` or `template`. */
export function includedTemplates(text: string): string[] {
  return [...text.matchAll(/\b(?:include|template)\s+"([^"]+)"/g)].map((m) => m[1]);
}

/** Dotted paths read through `.Values.` (root references only). */
export function valuesReferences(text: string): string[] {
  return [...text.matchAll(/\.Values((?:\.[A-Za-z_][\w]*)+)/g)].map((m) => m[1].slice(1));
}

/**
 * The YAML left when a template's action-only lines are dropped and inline actions become `x`:
 * enough to parse the shape of a helper whose values come from templates.
 */
export function yamlSkeleton(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*\{\{.*\}\}\s*$/.test(line))
    .join('\n')
    .replace(/\{\{.*?\}\}/g, 'x');
}
