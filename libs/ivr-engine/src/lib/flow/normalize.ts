import type { RawStep, RawTarget } from './flow-schema';
import type { Step, TargetSpec } from './flow-model';

/** Turns a schema-valid step into the engine's form (exactly one verb was checked by the schema). */
export function normalizeStep(raw: RawStep): Step {
  if (raw.play) return { verb: 'play', prompts: raw.play, next: raw.next };
  if (raw.gather) {
    const { prompt, onNoInput, onInvalid, ...rest } = raw.gather;
    return {
      verb: 'gather',
      gather: { ...rest, prompt: prompt ?? [], onNoInput: onNoInput?.play ?? [], onInvalid: onInvalid?.play ?? [] },
      branches: raw.branches ?? {},
      default: raw.default,
      next: raw.next,
      onExhausted: raw.onExhausted,
    };
  }
  if (raw.record) {
    const { prompt, ...rest } = raw.record;
    return { verb: 'record', record: { ...rest, prompt: prompt?.[0] }, next: raw.next, onFailed: raw.onFailed };
  }
  if (raw.transfer) {
    return { verb: 'transfer', target: targetSpec(raw.transfer.target), replacesCallId: raw.transfer.replacesCallId, onFailed: raw.onFailed };
  }
  if (raw.redirect) return { verb: 'redirect', targets: raw.redirect.targets.map(targetSpec), timeoutSeconds: raw.redirect.timeoutSeconds };
  if (raw.invite) return { verb: 'invite', participants: raw.invite.participants.map(targetSpec), next: raw.next };
  if (raw.set) return { verb: 'set', values: raw.set, next: raw.next };
  if (raw.goto !== undefined) return { verb: 'goto', target: raw.goto };
  if (raw.webhook) return { verb: 'webhook', ...raw.webhook, next: raw.next };
  return { verb: 'hangup' };
}

function targetSpec(raw: RawTarget): TargetSpec {
  if (raw.phone !== undefined) return { kind: 'phone', number: raw.phone };
  for (const kind of ['user', 'application', 'applicationInstance'] as const) {
    const identity = raw[kind];
    if (identity) return { kind, ...identity };
  }
  // The schema admits exactly one kind, so this is unreachable for validated input.
  throw new Error('target without an identity');
}
