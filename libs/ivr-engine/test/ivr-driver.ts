import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlow, resumeFlow, startFlow, type Flow, type IvrCommand, type IvrCommandOf, type IvrInput, type IvrState } from '../src/index';

export const examplesDir = join(__dirname, '..', 'examples');

export function loadExample(file: string): Flow {
  return parseFlow(readFileSync(join(examplesDir, file), 'utf8'), `examples/${file}`);
}

/**
 * Plays the platform's part in scenario tests: keeps the stored state between inputs, advances a fake
 * clock, and answers the last command of a kind the way Graph or the webhook would.
 */
export class IvrDriver {
  state: IvrState;
  /** Commands of the last engine call. */
  commands: IvrCommand[];
  /** Every command issued since the start, in order. */
  readonly log: IvrCommand[] = [];
  now = 1_000_000;

  constructor(
    readonly flow: Flow,
    callerId = '+14255550123',
  ) {
    const started = startFlow(flow, { callId: 'call-1', tenantId: 'tenant-1', caller: { id: callerId, displayName: 'Ada', kind: 'phone' }, now: this.now });
    this.state = started.state;
    this.commands = started.commands;
    this.log.push(...started.commands);
  }

  send(input: IvrInput, advanceMs = 0): IvrCommand[] {
    this.now += advanceMs;
    const result = resumeFlow(this.flow, this.state, input, this.now);
    this.state = result.state;
    this.commands = result.commands;
    this.log.push(...result.commands);
    return result.commands;
  }

  /** The most recent command of a kind since the start. */
  last<K extends IvrCommand['kind']>(kind: K): IvrCommandOf<K> {
    const found = [...this.log].reverse().find((c): c is IvrCommandOf<K> => c.kind === kind);
    if (!found) throw new Error(`no ${kind} command was issued`);
    return found;
  }

  finishPrompt(ok = true): IvrCommand[] {
    return this.send({ type: 'promptCompleted', clientContext: this.last('play').clientContext, ok }, 10);
  }

  private toneSequence = 0;
  press(keys: string, gapMs = 200): IvrCommand[] {
    const all: IvrCommand[] = [];
    for (const digit of keys) all.push(...this.send({ type: 'tone', digit, sequenceId: ++this.toneSequence }, gapMs));
    return all;
  }

  /** Fires the timer that is currently armed, at its due time. */
  fireTimer(): IvrCommand[] {
    const timer = this.last('armTimer');
    this.now = Math.max(this.now, timer.dueAt);
    return this.send({ type: 'timerFired', timerId: timer.timerId });
  }

  kinds(commands: IvrCommand[] = this.commands): string[] {
    return commands.map((c) => (c.kind === 'emit' ? `emit:${c.name}` : c.kind));
  }

  /** Relative prompt names of the last play, for readable assertions. */
  lastPlayed(): string[] {
    return this.last('play').prompts.map((uri) => uri.replace(this.flow.promptBase ?? '', ''));
  }
}
