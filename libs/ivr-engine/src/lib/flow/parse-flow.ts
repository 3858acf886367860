import type { z } from 'zod';
import { FlowValidationError, type FlowIssue } from './flow-issues';
import { rawFlowSchema, rawInlineStepsSchema, type RawStep } from './flow-schema';
import { normalizeStep } from './normalize';
import type { Flow, Step } from './flow-model';
import { checkStep, instantLoops, unreachableSteps, varsSetBy, type CheckScope, type Finding } from './flow-checks';
import { SourceDocument } from './source-document';

/**
 * Parses and validates a flow file (YAML or JSON). Throws FlowValidationError listing every problem
 * with its line and column; unreachable steps are returned as `warnings` instead.
 */
export function parseFlow(text: string, sourceName: string): Flow {
  const doc = new SourceDocument(sourceName, { text });
  if (doc.issues.length) throw new FlowValidationError(sourceName, doc.issues);
  const parsed = rawFlowSchema.safeParse(doc.value, { error: defaultMessage });
  const issues = [...quotedKeyIssues(doc, doc.value), ...(parsed.success ? [] : zodIssues(doc, parsed.error))];
  if (!parsed.success || issues.length) throw new FlowValidationError(sourceName, issues);

  const raw = parsed.data;
  const steps = mapValues(raw.steps, normalizeStep);
  const scope: CheckScope = {
    stepNames: new Set(Object.keys(steps)),
    definedVars: new Set([...Object.keys(raw.vars), ...varsSetBy(Object.values(steps))]),
    promptBase: raw.prompts?.base,
  };
  const findings: Finding[] = [];
  if (!steps[raw.start]) findings.push({ path: ['start'], message: `no step named "${raw.start}"` });
  for (const [name, step] of Object.entries(raw.steps)) findings.push(...checkStep(step, ['steps', name], scope));
  for (const loop of instantLoops(steps)) {
    findings.push({ path: ['steps', loop[0]], message: `steps ${loop.join(' → ')} loop without ever waiting for the call` });
  }
  if (findings.length) throw new FlowValidationError(sourceName, findings.map((f) => doc.issue(f.path, f.message, f.key)));

  const warnings = unreachableSteps(steps, raw.start).map((name) => doc.issue(['steps', name], `step "${name}" is never reached from "${raw.start}"`));
  return { id: raw.id, version: raw.version, description: raw.description, start: raw.start, vars: raw.vars, promptBase: raw.prompts?.base, steps, source: sourceName, warnings };
}

/**
 * Validates the steps a webhook answered with: a list of steps in the flow's own language whose
 * routing keys name steps of `flow`. Pass the response body as text to get line and column in issues.
 */
export function parseInlineSteps(input: unknown, flow: Flow, sourceName = 'webhook response'): Step[] {
  const doc = new SourceDocument(sourceName, typeof input === 'string' ? { text: input } : { value: input });
  if (doc.issues.length) throw new FlowValidationError(sourceName, doc.issues);
  const parsed = rawInlineStepsSchema.safeParse(doc.value, { error: defaultMessage });
  if (!parsed.success) throw new FlowValidationError(sourceName, zodIssues(doc, parsed.error));

  const steps = parsed.data.map(normalizeStep);
  const scope: CheckScope = {
    stepNames: new Set(Object.keys(flow.steps)),
    definedVars: new Set([...Object.keys(flow.vars), ...varsSetBy(Object.values(flow.steps)), ...varsSetBy(steps)]),
    promptBase: flow.promptBase,
  };
  const findings = parsed.data.flatMap((step: RawStep, i) => checkStep(step, [i], scope));
  if (findings.length) throw new FlowValidationError(sourceName, findings.map((f) => doc.issue(f.path, f.message, f.key)));
  return steps;
}

function zodIssues(doc: SourceDocument, error: z.ZodError): FlowIssue[] {
  return error.issues.flatMap((issue): FlowIssue[] => {
    const path = issue.path;
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => doc.issue(path, `unknown key "${key}"`, key));
    if (issue.code === 'invalid_key') {
      const key = String(path[path.length - 1]);
      return [doc.issue(path.slice(0, -1), `"${key}": ${issue.issues[0]?.message ?? issue.message}`, key)];
    }
    return [doc.issue(path, issue.message)];
  });
}

/** Messages for the issues the schema does not word itself. */
function defaultMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is required';
      const found = issue.input === null ? ', found an empty value' : '';
      return `must be ${describeType(issue.expected)}${found}`;
    }
    case 'too_small':
      return issue.origin === 'array' ? `needs at least ${issue.minimum} items` : `must be at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array' ? `takes at most ${issue.maximum} items` : `must be at most ${issue.maximum}`;
    default:
      return undefined;
  }
}

function describeType(expected: string): string {
  const names: Record<string, string> = { object: 'a mapping (key: value)', array: 'a list', string: 'a string', number: 'a number', boolean: 'true or false' };
  return names[expected] ?? expected;
}

/** Branch keys like `01:` read as the number 1 in YAML; insist on quotes so "01" stays "01". */
function quotedKeyIssues(doc: SourceDocument, value: unknown): FlowIssue[] {
  const steps = isRecord(value) && isRecord(value['steps']) ? Object.keys(value['steps']) : [];
  return steps.flatMap((name) =>
    doc.keyTextMismatches(['steps', name, 'branches']).map((key) => doc.issue(['steps', name, 'branches'], `write the key ${key} in quotes ("${key}"): unquoted it reads as a number`, key)),
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function mapValues<A, B>(record: Record<string, A>, fn: (a: A) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}
