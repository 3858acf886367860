import type { IssuePath } from './flow-issues';
import { maxPromptsPerPlay, type RawStep, type RawTarget } from './flow-schema';
import { stepTargets, type Step } from './flow-model';
import { templateReferences } from './templates';
import { resolvePrompt } from './prompts';

/** A problem found after the schema passed; `path` is relative to the document root. */
export interface Finding {
  path: IssuePath;
  message: string;
  /** Set when the problem is the mapping key at `path` rather than a value. */
  key?: string;
}

/** What the checks of a group of steps need to know about the flow around them. */
export interface CheckScope {
  stepNames: ReadonlySet<string>;
  /** Variables the flow sets somewhere (initial vars, `set`, `storeAs`). */
  definedVars: ReadonlySet<string>;
  promptBase?: string;
}

/** Variables a group of steps sets. */
export function varsSetBy(steps: Iterable<Step>): string[] {
  const names: string[] = [];
  for (const step of steps) {
    if (step.verb === 'set') names.push(...Object.keys(step.values));
    if (step.verb === 'gather' && step.gather.storeAs) names.push(step.gather.storeAs);
  }
  return names;
}

/** Step references, templates and prompt names of one step (at `base` in the document). */
export function checkStep(step: RawStep, base: IssuePath, scope: CheckScope): Finding[] {
  const findings: Finding[] = [];
  for (const { path, name } of stepReferences(step)) {
    if (!scope.stepNames.has(name)) findings.push({ path: [...base, ...path], message: `no step named "${name}"` });
  }
  for (const { path, text } of templatedStrings(step)) {
    const result = templateReferences(text);
    if ('error' in result) {
      findings.push({ path: [...base, ...path], message: result.error });
      continue;
    }
    for (const ref of result.references) {
      if (ref.kind === 'var' && !scope.definedVars.has(ref.name)) {
        findings.push({ path: [...base, ...path], message: `variable "vars.${ref.name}" is never set (add it to vars, a set step or a gather storeAs)` });
      }
    }
  }
  for (const { path, text } of promptNames(step)) {
    if (resolvePrompt(text, scope.promptBase) === undefined) {
      findings.push({ path: [...base, ...path], message: `"${text}" is not an absolute URL and the flow has no prompts.base to resolve it against` });
    }
  }
  if (step.gather) {
    const { prompt = [], onNoInput, onInvalid } = step.gather;
    const longest = Math.max(onNoInput?.play.length ?? 0, onInvalid?.play.length ?? 0);
    // A retry plays the apology and the menu as one playPrompt, which takes at most 20 prompts.
    if (prompt.length + longest > maxPromptsPerPlay) {
      findings.push({ path: [...base, 'gather'], message: `prompt plus onNoInput/onInvalid come to ${prompt.length + longest} prompts; a retry plays them together, at most ${maxPromptsPerPlay}` });
    }
  }
  if (step.gather && step.branches) {
    for (const digits of Object.keys(step.branches)) {
      if (digits.length > step.gather.maxDigits) {
        findings.push({ path: [...base, 'branches'], key: digits, message: `can never match: gather.maxDigits is ${step.gather.maxDigits}` });
      }
    }
  }
  return findings;
}

/** Steps no path from `start` reaches (a warning: a webhook may still jump to them). */
export function unreachableSteps(steps: Record<string, Step>, start: string): string[] {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length) {
    const name = queue.pop() as string;
    if (seen.has(name) || !steps[name]) continue;
    seen.add(name);
    queue.push(...stepTargets(steps[name]));
  }
  return Object.keys(steps).filter((name) => !seen.has(name));
}

/** Verbs that continue at once without waiting for the call: a cycle of them would spin forever. */
const instantVerbs: ReadonlySet<Step['verb']> = new Set(['set', 'goto', 'invite']);

/** Cycles made only of instant steps, each as its list of step names. */
export function instantLoops(steps: Record<string, Step>): string[][] {
  const loops: string[][] = [];
  const done = new Set<string>();
  const visit = (name: string, trail: string[]): void => {
    const step = steps[name];
    if (!step || !instantVerbs.has(step.verb) || done.has(name)) return;
    const at = trail.indexOf(name);
    if (at >= 0) {
      loops.push([...trail.slice(at), name]);
      return;
    }
    for (const next of stepTargets(step)) visit(next, [...trail, name]);
    done.add(name);
  };
  for (const name of Object.keys(steps)) visit(name, []);
  return loops;
}

type Located<T> = { path: IssuePath } & T;

function stepReferences(step: RawStep): Located<{ name: string }>[] {
  const refs: Located<{ name: string }>[] = [];
  for (const key of ['next', 'default', 'onExhausted', 'onFailed', 'goto'] as const) {
    const name = step[key];
    if (name !== undefined) refs.push({ path: [key], name });
  }
  for (const [digits, name] of Object.entries(step.branches ?? {})) refs.push({ path: ['branches', digits], name });
  if (step.webhook) refs.push({ path: ['webhook', 'fallback'], name: step.webhook.fallback });
  return refs;
}

function promptNames(step: RawStep): Located<{ text: string }>[] {
  const lists: [IssuePath, string[] | undefined][] = [
    [['play'], step.play],
    [['gather', 'prompt'], step.gather?.prompt],
    [['gather', 'onNoInput', 'play'], step.gather?.onNoInput?.play],
    [['gather', 'onInvalid', 'play'], step.gather?.onInvalid?.play],
    [['record', 'prompt'], step.record?.prompt],
  ];
  return lists.flatMap(([path, list]) => (list ?? []).map((text, i) => ({ path: [...path, i], text })));
}

/** Every string the engine renders as a template, with where it sits. */
function templatedStrings(step: RawStep): Located<{ text: string }>[] {
  const out = promptNames(step);
  for (const [name, text] of Object.entries(step.set ?? {})) out.push({ path: ['set', name], text });
  if (step.webhook) out.push({ path: ['webhook', 'url'], text: step.webhook.url });
  if (step.transfer) {
    out.push(...targetStrings(step.transfer.target, ['transfer', 'target']));
    if (step.transfer.replacesCallId) out.push({ path: ['transfer', 'replacesCallId'], text: step.transfer.replacesCallId });
  }
  step.redirect?.targets.forEach((t, i) => out.push(...targetStrings(t, ['redirect', 'targets', i])));
  step.invite?.participants.forEach((t, i) => out.push(...targetStrings(t, ['invite', 'participants', i])));
  return out;
}

function targetStrings(target: RawTarget, base: IssuePath): Located<{ text: string }>[] {
  if (target.phone !== undefined) return [{ path: [...base, 'phone'], text: target.phone }];
  const out: Located<{ text: string }>[] = [];
  for (const kind of ['user', 'application', 'applicationInstance'] as const) {
    const identity = target[kind];
    if (!identity) continue;
    for (const field of ['id', 'displayName', 'tenantId'] as const) {
      const text = identity[field];
      if (text !== undefined) out.push({ path: [...base, kind, field], text });
    }
  }
  return out;
}
