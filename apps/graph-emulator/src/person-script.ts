import { type Tone, digitToTone } from '@switchboard/graph-models';
import { z } from 'zod';
import type { CallRecord } from './call-record';
import { after } from './call-timers';

const ms = (max: number) => z.number().int().min(0).max(max);
const STEP_SHAPES = '{press, gapMs?}, {wait}, {silence}, {speak} or {hangup: true}';

/** One thing a simulated person does; each step starts when the previous one has finished. */
export const stepSchema = z.union(
  [
    z.strictObject({
      press: z.string().regex(/^[0-9*#A-D]{1,64}$/i, 'press takes 1 to 64 keypad characters (0-9, *, #, A-D)'),
      gapMs: ms(10_000).optional(),
    }),
    z.strictObject({ wait: ms(600_000) }),
    z.strictObject({ silence: ms(600_000) }),
    z.strictObject({ speak: ms(120_000) }),
    z.strictObject({ hangup: z.literal(true) }),
  ],
  { error: `a step is one of ${STEP_SHAPES}` },
);
export type Step = z.infer<typeof stepSchema>;

export const scriptSchema = z.array(stepSchema).min(1, 'a script needs at least one step').max(200);

export const DEFAULT_KEY_GAP_MS = 150;

/** What a person's steps do to the call; the simulator decides what the bot sees. */
export interface PersonActions {
  /** Whether a key pressed now reaches anything (tone subscription, a stop tone, a barge-in prompt). */
  canHearKeys(call: CallRecord): boolean;
  press(call: CallRecord, tone: Tone): void;
  speech(call: CallRecord, talking: boolean): void;
  hangUp(call: CallRecord): void;
}

export function newPerson(): CallRecord['person'] {
  return { steps: [], busy: false, scripted: false, speaking: false, done: [], tonesDropped: [] };
}

/**
 * Runs people's scripts. Steps run only while the call is established; a `press` step also waits
 * until the bot listens for keys, so a script never races the bot's subscribeToTone.
 */
export class PersonScripts {
  constructor(private readonly actions: PersonActions) {}

  add(call: CallRecord, steps: Step[]): void {
    call.person.scripted = true;
    call.person.steps.push(...steps);
    this.resume(call);
  }

  /** Starts the next step if nothing runs and what it needs is there; called whenever that may have changed. */
  resume(call: CallRecord): void {
    const person = call.person;
    const step = person.steps[0];
    if (!step || person.busy || call.state !== 'established') return;
    if ('press' in step && !this.actions.canHearKeys(call)) return;
    person.steps.shift();
    person.busy = true;
    person.done.push({ at: new Date().toISOString(), step });
    const next = () => {
      person.busy = false;
      this.resume(call);
    };
    if ('press' in step) return this.press(call, step.press, step.gapMs ?? DEFAULT_KEY_GAP_MS, next);
    if ('speak' in step) {
      this.actions.speech(call, true);
      after(call, step.speak, () => {
        this.actions.speech(call, false);
        next();
      });
      return;
    }
    if ('hangup' in step) return this.actions.hangUp(call);
    after(call, 'wait' in step ? step.wait : step.silence, next);
  }

  /**
   * Presses keys `gapMs` apart; a key nothing listens for is dropped (and noted). Each key is timed from the one
   * before it, not from the first: a timer may fire late on a busy machine, and a late key must not shorten the gap
   * to the next one.
   */
  press(call: CallRecord, keys: string, gapMs: number, done?: () => void): void {
    const tones = [...keys].map((k) => digitToTone(k)).filter((t): t is Tone => t !== undefined);
    const pressFrom = (i: number): void => {
      const tone = tones[i];
      if (tone === undefined) return done?.();
      // The step ends on its last key even if the call left `established` (a transfer), so the script can resume.
      if (call.state !== 'established' || !this.actions.canHearKeys(call)) call.person.tonesDropped.push(tone);
      else this.actions.press(call, tone);
      if (i === tones.length - 1) return done?.();
      after(call, gapMs, () => pressFrom(i + 1));
    };
    after(call, 0, () => pressFrom(0));
  }
}
