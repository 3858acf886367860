/** A small Dockerfile reader: stages and their instructions, with continuations and comments handled. */
export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  base: string;
  name?: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARG lines before the first FROM. */
  globalArgs: string[];
  stages: Stage[];
}

/** The `# escape=` parser directive; directives only count in the leading `# key=value` lines. */
function escapeCharacter(text: string): string {
  for (const line of text.split('\n')) {
    const directive = /^#\s*(\w+)\s*=\s*(\S+)\s*$/.exec(line);
    if (!directive) break;
    if (directive[1].toLowerCase() === 'escape') return directive[2];
  }
  return '\\';
}

export function parseDockerfile(text: string): Dockerfile {
  const escape = escapeCharacter(text);
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (/^\s*#/.test(line)) continue;
    if (line.trimEnd().endsWith(escape)) {
      pending += line.trimEnd().slice(0, -1) + ' ';
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full) logical.push(full);
  }
  const result: Dockerfile = { globalArgs: [], stages: [] };
  for (const line of logical) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/s.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
      result.stages.push({ base: from?.[1] ?? '', name: from?.[2], instructions: [] });
    } else if (result.stages.length === 0) {
      if (upper === 'ARG') result.globalArgs.push(args);
    } else {
      result.stages[result.stages.length - 1].instructions.push({ keyword: upper, args });
    }
  }
  return result;
}

/** Instructions of one kind in a stage. */
export function instructionsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((i) => i.keyword === keyword.toUpperCase()).map((i) => i.args);
}
