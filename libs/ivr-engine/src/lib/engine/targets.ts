import type { InvitationParticipantInfo } from '@switchboard/graph-models';
import type { TargetSpec } from '../flow/flow-model';

const e164 = /^\+[1-9]\d{6,14}$/;

/**
 * A flow target, its templates already rendered by `render`, as a Graph invitationParticipantInfo
 * (`{ phone: "+1…" }` → `{ identity: { phone: { id: "+1…" } } }`). A string result says what is wrong.
 */
export function renderTarget(spec: TargetSpec, render: (t: string) => string): InvitationParticipantInfo | string {
  if (spec.kind === 'phone') {
    const number = render(spec.number).trim();
    return e164.test(number) ? { identity: { phone: { id: number } } } : `phone target "${number}" is not an E.164 number`;
  }
  const id = render(spec.id).trim();
  if (!id) return `${spec.kind} target has an empty id`;
  const identity: { id: string; displayName?: string; tenantId?: string } = { id };
  if (spec.displayName !== undefined) identity.displayName = render(spec.displayName);
  if (spec.tenantId !== undefined) identity.tenantId = render(spec.tenantId);
  return { identity: { [spec.kind]: identity } };
}

/** All targets rendered, or the first problem. */
export function renderTargets(specs: readonly TargetSpec[], render: (t: string) => string): InvitationParticipantInfo[] | string {
  const out: InvitationParticipantInfo[] = [];
  for (const spec of specs) {
    const target = renderTarget(spec, render);
    if (typeof target === 'string') return target;
    out.push(target);
  }
  return out;
}
