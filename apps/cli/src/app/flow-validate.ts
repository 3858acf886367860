import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { FlowValidationError, formatIssue, parseFlow } from '@switchboard/ivr-engine';
import { UsageError } from './io';

export interface FlowCheck {
  ok: boolean;
  /** One line per error or warning, each `file:line:column: path: message`. */
  lines: string[];
}

/** Validates a flow file offline with the engine signaling runs, reporting every problem with its position. */
export function validateFlowFile(file: string, cwd: string): FlowCheck {
  const path = resolve(cwd, file);
  const shown = relative(cwd, path) || path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    const flow = parseFlow(text, shown);
    const steps = Object.keys(flow.steps).length;
    return {
      ok: true,
      lines: [
        ...flow.warnings.map((w) => `${formatIssue(w)} (warning)`),
        `${shown}: flow "${flow.id}" is valid (${steps} step${steps === 1 ? '' : 's'}, starts at "${flow.start}")`,
      ],
    };
  } catch (error) {
    if (!(error instanceof FlowValidationError)) throw error;
    return { ok: false, lines: error.issues.map(formatIssue) };
  }
}
