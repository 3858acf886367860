import type { Flow, Step } from '../flow/flow-model';
import { resolvePrompt } from '../flow/prompts';
import { renderTemplate, type TemplateReference } from '../flow/templates';
import type { IvrCommand, IvrEvent, IvrEventBase, IvrEventFields, IvrEventName, IvrState, Waiting } from './ivr-types';

/** Separates a webhook step's name from the index of one of its inline steps: `ask-app#0`. */
export const inlineMark = '#';

/**
 * One engine call at work: a private copy of the state, the commands issued so far and the time of
 * the input. Helpers here never change the step; flow-control does.
 */
export class Run {
  readonly commands: IvrCommand[] = [];
  /** Steps entered during this call; bounds a runaway chain of instant steps in a hand-built flow. */
  entered = 0;

  constructor(
    readonly flow: Flow,
    readonly state: IvrState,
    readonly now: number,
  ) {}

  /** A fresh id for a clientContext, timer or request: `<step>:<counter>`, unique within the call. */
  nextId(): string {
    this.state.counter += 1;
    return `${this.state.step}:${this.state.counter}`;
  }

  issue(command: IvrCommand): void {
    this.commands.push(command);
  }

  emit<N extends IvrEventName>(name: N, fields: IvrEventFields[N]): void {
    const base: IvrEventBase = { callId: this.state.call.id, flowId: this.flow.id, step: this.state.step };
    const event: IvrEvent<N> = { kind: 'emit', name, data: { ...base, ...fields } };
    // Checked against its own name on the line above; TypeScript cannot relate IvrEvent<N> to the union it is a member of.
    this.issue(event as unknown as IvrEvent);
  }

  armTimer(delayMs: number): string {
    const timerId = this.nextId();
    this.issue({ kind: 'armTimer', timerId, dueAt: this.now + delayMs });
    return timerId;
  }

  /** Replaces what the step waits for; a timer armed for the old wait is disarmed. */
  wait(waiting: Waiting | null): void {
    const old = this.state.waiting;
    if (old && 'timerId' in old && old.timerId && !(waiting && 'timerId' in waiting && waiting.timerId === old.timerId)) {
      this.issue({ kind: 'disarmTimer', timerId: old.timerId });
    }
    this.state.waiting = waiting;
  }

  /** The armed timer fired: forget it without disarming it. */
  timerFired(): void {
    const waiting = this.state.waiting;
    if (waiting && 'timerId' in waiting) this.state.waiting = { ...waiting, timerId: null };
  }

  stepAt(name: string): Step | undefined {
    const mark = name.indexOf(inlineMark);
    if (mark < 0) return this.flow.steps[name];
    const inline = this.state.inline;
    if (!inline || inline.origin !== name.slice(0, mark)) return undefined;
    return inline.steps[Number(name.slice(mark + 1))];
  }

  currentStep(): Step {
    const step = this.stepAt(this.state.step);
    if (!step) throw new Error(`step "${this.state.step}" is missing from flow ${this.flow.id}`);
    return step;
  }

  render(template: string): string {
    return renderTemplate(template, (ref) => this.lookup(ref));
  }

  /** Prompt names rendered and resolved to absolute URIs (unresolvable names were refused at load time). */
  prompts(names: readonly string[]): string[] {
    return names.map((name) => {
      const rendered = this.render(name);
      return resolvePrompt(rendered, this.flow.promptBase) ?? rendered;
    });
  }

  private lookup(ref: TemplateReference): string | undefined {
    const s = this.state;
    if (ref.kind === 'var') return s.vars[ref.name];
    const builtins: Record<typeof ref.name, string | undefined> = {
      'caller.id': s.call.caller.id,
      'caller.displayName': s.call.caller.displayName,
      'caller.kind': s.call.caller.kind,
      'call.id': s.call.id,
      'tenant.id': s.call.tenantId,
      'flow.id': this.flow.id,
      step: s.step,
      digits: s.digits ?? undefined,
      'recording.location': s.recording?.location,
      'recording.completionReason': s.recording?.completionReason,
    };
    return builtins[ref.name];
  }
}
