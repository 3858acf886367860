import { features, type Feature } from './features';

/** Microsoft Graph application permissions a calling bot can need (contract §3, §4.3, §6). */
export const graphPermissions = [
  'Calls.Initiate.All',
  'Calls.InitiateGroupCall.All',
  'Calls.JoinGroupCall.All',
  'Calls.JoinGroupCallAsGuest.All',
  'Calls.AccessMedia.All',
  'OnlineMeetings.Read.All',
  'OnlineMeetings.ReadWrite.All',
] as const;
export type GraphPermission = (typeof graphPermissions)[number];

export interface RequiredPermission {
  permission: GraphPermission;
  /** Why, one line per feature that needs it. */
  reasons: string[];
  /** Granted permissions that also satisfy this one (ReadWrite covers Read). */
  satisfiedBy: GraphPermission[];
}

const needs: Record<Feature, { permission: GraphPermission; reason: string }[]> = {
  calling: [
    {
      permission: 'Calls.Initiate.All',
      reason: 'calling: place 1:1 and PSTN calls and transfer them; without a Calls permission Graph also hides who is calling (encrypted source)',
    },
    { permission: 'Calls.InitiateGroupCall.All', reason: 'calling: place group calls and invite participants into a call' },
  ],
  meetings: [
    { permission: 'Calls.JoinGroupCall.All', reason: 'meetings: join meetings and group calls as the app (directory-user privileges)' },
    { permission: 'Calls.JoinGroupCallAsGuest.All', reason: 'meetings: join meetings as a guest (display name only, waits in the lobby)' },
    { permission: 'OnlineMeetings.Read.All', reason: 'meetings: look up online meetings by join URL or meeting id' },
  ],
  'meeting-creation': [
    {
      permission: 'OnlineMeetings.ReadWrite.All',
      reason: 'meeting-creation: create online meetings for users (also needs a Teams application access policy for them)',
    },
  ],
  'app-hosted-media': [
    { permission: 'Calls.AccessMedia.All', reason: 'app-hosted-media: receive and send real-time audio frames on the media pods' },
  ],
  'compliance-recording': [
    { permission: 'Calls.AccessMedia.All', reason: "compliance-recording: receive the recorded users' media" },
    { permission: 'Calls.JoinGroupCall.All', reason: "compliance-recording: be invited by the recording policy into the recorded users' calls and meetings" },
  ],
  video: [{ permission: 'Calls.AccessMedia.All', reason: 'video: receive and send real-time video frames' }],
};

const alsoSatisfiedBy: Partial<Record<GraphPermission, GraphPermission[]>> = {
  'OnlineMeetings.Read.All': ['OnlineMeetings.ReadWrite.All'],
};

/** The application permissions the enabled features need, in a fixed order, each with its reasons. */
export function requiredPermissions(enabled: ReadonlySet<Feature>): RequiredPermission[] {
  const reasons = new Map<GraphPermission, string[]>();
  for (const feature of features.filter((f) => enabled.has(f))) {
    for (const { permission, reason } of needs[feature]) reasons.set(permission, [...(reasons.get(permission) ?? []), reason]);
  }
  // Creating meetings grants reading them: ask for the one permission, not both.
  const read = reasons.get('OnlineMeetings.Read.All');
  const readWrite = reasons.get('OnlineMeetings.ReadWrite.All');
  if (read && readWrite) {
    reasons.set('OnlineMeetings.ReadWrite.All', [...readWrite, ...read]);
    reasons.delete('OnlineMeetings.Read.All');
  }
  return graphPermissions
    .filter((p) => reasons.has(p))
    .map((permission) => ({ permission, reasons: reasons.get(permission) ?? [], satisfiedBy: alsoSatisfiedBy[permission] ?? [] }));
}

/** Required permissions that `granted` (a token's `roles`) does not cover. */
export function missingPermissions(required: readonly RequiredPermission[], granted: readonly string[]): RequiredPermission[] {
  const have = new Set(granted);
  return required.filter((r) => !have.has(r.permission) && !r.satisfiedBy.some((p) => have.has(p)));
}

export function formatPermissions(required: readonly RequiredPermission[]): string {
  const width = Math.max(...required.map((r) => r.permission.length));
  return required.map((r) => r.reasons.map((reason, i) => `${(i === 0 ? r.permission : '').padEnd(width)}  ${reason}`).join('\n')).join('\n');
}
