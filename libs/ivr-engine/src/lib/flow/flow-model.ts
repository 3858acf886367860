import type { FlowIssue } from './flow-issues';

/**
 * A validated flow, normalised for the engine: each step is a discriminated union on `verb`.
 * Everything here is plain JSON data, so a webhook's inline steps can live in the call's stored state.
 */

/** A call target as written in a flow (ids may hold templates); rendered into a Graph invitationParticipantInfo. */
export type TargetSpec =
  | { kind: 'user' | 'application' | 'applicationInstance'; id: string; displayName?: string; tenantId?: string }
  | { kind: 'phone'; number: string };

export interface GatherSpec {
  prompt: string[];
  maxDigits: number;
  finishOnKey?: string;
  firstDigitTimeoutMs: number;
  interDigitTimeoutMs: number;
  retries: number;
  onNoInput: string[];
  onInvalid: string[];
  valid?: string[];
  pattern?: string;
  storeAs?: string;
}

export interface RecordSpec {
  prompt?: string;
  maxDurationSeconds: number;
  maxSilenceSeconds: number;
  initialSilenceSeconds: number;
  beep: boolean;
  stopKeys: string[];
}

export type Step =
  | { verb: 'play'; prompts: string[]; next?: string }
  | { verb: 'gather'; gather: GatherSpec; branches: Record<string, string>; default?: string; next?: string; onExhausted?: string }
  | { verb: 'record'; record: RecordSpec; next?: string; onFailed?: string }
  | { verb: 'transfer'; target: TargetSpec; replacesCallId?: string; onFailed?: string }
  | { verb: 'redirect'; targets: TargetSpec[]; timeoutSeconds?: number }
  | { verb: 'invite'; participants: TargetSpec[]; next?: string }
  | { verb: 'hangup' }
  | { verb: 'set'; values: Record<string, string>; next?: string }
  | { verb: 'goto'; target: string }
  | { verb: 'webhook'; url: string; timeoutMs: number; fallback: string; next?: string };

export type StepOf<V extends Step['verb']> = Extract<Step, { verb: V }>;

export interface Flow {
  id: string;
  version: number;
  description?: string;
  start: string;
  /** Initial values of `vars.*`. */
  vars: Record<string, string>;
  /** Relative prompt names resolve against this absolute URL. */
  promptBase?: string;
  steps: Record<string, Step>;
  /** The file the flow came from (for messages). */
  source: string;
  /** Problems that do not stop the flow from running (unreachable steps). */
  warnings: FlowIssue[];
}

/** The step names a step may continue to (its outgoing edges). */
export function stepTargets(step: Step): string[] {
  switch (step.verb) {
    case 'gather':
      return [...Object.values(step.branches), step.default, step.next, step.onExhausted].filter(isString);
    case 'record':
      return [step.next, step.onFailed].filter(isString);
    case 'transfer':
      return [step.onFailed].filter(isString);
    case 'goto':
      return [step.target];
    case 'webhook':
      return [step.fallback, step.next].filter(isString);
    case 'redirect':
    case 'hangup':
      return [];
    default:
      return [step.next].filter(isString);
  }
}

const isString = (v: string | undefined): v is string => typeof v === 'string';
