import type { InvitationParticipantInfo } from '@switchboard/graph-models';
import { z } from 'zod';
import { type CallRecord, type WireResultInfo, resultInfo } from './call-record';
import { after } from './call-timers';
import type { EmulatorTimings } from './config';
import { scriptSchema } from './person-script';

export const calleeBehaviours = ['answer', 'decline', 'noAnswer', 'busy', 'unreachable'] as const;
export type CalleeBehaviour = (typeof calleeBehaviours)[number];

/** `PUT /emulator/callees/{userId|phone}`: what a person does when the bot calls, transfers to or invites them. */
export const calleeRuleSchema = z.object({
  behaviour: z.enum(calleeBehaviours),
  /** How long they ring before answering, declining or being found busy/unreachable (default EMULATOR_RING_MS). */
  ringMs: z.number().int().min(0).max(120_000).optional(),
  /** Steps run once connected (outgoing P2P calls). */
  script: scriptSchema.optional(),
});
export type CalleeRule = z.infer<typeof calleeRuleSchema>;

const ANSWER: CalleeRule = { behaviour: 'answer' };

/** Why a call to someone did not connect (contract §1.3 codes; busy is SIP 486). */
export const NOT_CONNECTED: Record<Exclude<CalleeBehaviour, 'answer'>, () => WireResultInfo> = {
  decline: () => resultInfo(603, 0, 'The callee declined the call.'),
  busy: () => resultInfo(486, 0, 'The callee is busy.'),
  unreachable: () => resultInfo(480, 10037, 'The callee was not found.'),
  noAnswer: () => resultInfo(408, 10057, 'The call was not answered in time.'),
};

/** Rules per user id or phone number (case-insensitive); anyone without a rule answers after the ring. */
export class CalleeRules {
  private readonly rules = new Map<string, CalleeRule>();

  set(key: string, rule: CalleeRule): void {
    this.rules.set(key.toLowerCase(), rule);
  }

  /** The rule of the first target that has one. */
  of(targets: InvitationParticipantInfo[]): CalleeRule {
    for (const target of targets) {
      const id = target.identity.user?.id ?? target.identity.phone?.id ?? target.identity.applicationInstance?.id;
      const rule = id ? this.rules.get(id.toLowerCase()) : undefined;
      if (rule) return rule;
    }
    return ANSWER;
  }
}

/**
 * Rings someone under their rule and calls `settle` with it when they pick up, decline, are found
 * busy or unreachable (after `ringMs`), or when the answer timeout runs out (`noAnswer`; with the
 * timeout off they ring until the call ends).
 */
export function ring(
  call: CallRecord,
  rule: CalleeRule,
  timings: Pick<EmulatorTimings, 'ringMs' | 'answerTimeoutMs'>,
  settle: (rule: CalleeRule) => void,
): void {
  if (rule.behaviour !== 'noAnswer') return void after(call, rule.ringMs ?? timings.ringMs, () => settle(rule));
  if (timings.answerTimeoutMs > 0) after(call, timings.answerTimeoutMs, () => settle(rule));
}
