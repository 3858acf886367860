/**
 * `{{ name.path }}` templates over flow variables (`vars.x`) and built-ins (`caller.id`, `digits`, ...).
 * No expressions, filters or code: a template names a value, which keeps flows safe to load from customers.
 */

/** Built-in names a template may read, besides `vars.<name>`. */
export const builtinNames = [
  'caller.id',
  'caller.displayName',
  'caller.kind',
  'call.id',
  'tenant.id',
  'flow.id',
  'step',
  'digits',
  'recording.location',
  'recording.completionReason',
] as const;
export type BuiltinName = (typeof builtinNames)[number];

const placeholder = /\{\{(.*?)\}\}/g;
const reference = /^\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\s*$/;

export type TemplateReference = { kind: 'var'; name: string } | { kind: 'builtin'; name: BuiltinName };

/** Names a template reads, or the first problem with it (an unclosed `{{`, a bad or unknown name). */
export function templateReferences(template: string): { references: TemplateReference[] } | { error: string } {
  const references: TemplateReference[] = [];
  for (const match of template.matchAll(placeholder)) {
    const ref = readReference(match[1]);
    if (!ref) return { error: `"${match[0]}" must name vars.<name> or one of: ${builtinNames.join(', ')}` };
    references.push(ref);
  }
  const rest = template.replace(placeholder, '');
  if (rest.includes('{{') || rest.includes('}}')) return { error: 'unbalanced "{{" / "}}" in template' };
  return { references };
}

function readReference(inner: string): TemplateReference | undefined {
  const name = reference.exec(inner)?.[1];
  if (!name) return undefined;
  if (name.startsWith('vars.') && name.split('.').length === 2) return { kind: 'var', name: name.slice(5) };
  return (builtinNames as readonly string[]).includes(name) ? { kind: 'builtin', name: name as BuiltinName } : undefined;
}


/** Fills a template; an unset name becomes the empty string (the flow check makes sure each name is set somewhere). */
export function renderTemplate(template: string, lookup: (ref: TemplateReference) => string | undefined): string {
  return template.replace(placeholder, (_whole, inner: string) => {
    const ref = readReference(inner);
    return (ref && lookup(ref)) ?? '';
  });
}
