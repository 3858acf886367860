import { parse } from 'yaml';

/**
 * The chart README's values table, generated from the `## @section` / `## @param` comments of values.yaml,
 * so the README cannot drift from the values (a test compares them).
 */
function valueAt(tree: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], tree);
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderValuesTable(valuesYaml: string): string {
  const values: unknown = parse(valuesYaml);
  const out: string[] = [];
  for (const line of valuesYaml.split('\n')) {
    const section = /^\s*## @section (.+)$/.exec(line);
    const param = /^\s*## @param ([\w.-]+) (.+)$/.exec(line);
    if (section) out.push('', `### ${section[1]}`, '', '| Name | Description | Default |', '| --- | --- | --- |');
    else if (param) out.push(`| \`${param[1]}\` | ${cell(param[2])} | \`${cell(JSON.stringify(valueAt(values, param[1])) ?? '')}\` |`);
  }
  return out.join('\n').trim() + '\n';
}
