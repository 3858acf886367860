import type { CallCommandAction } from '@switchboard/nats-contracts';

/** App roles in the API token's `roles` claim (define them on the API's app registration). */
export const API_ROLES = { read: 'Calls.Read', control: 'Calls.Control', place: 'Calls.Place' } as const;
export type ApiRole = (typeof API_ROLES)[keyof typeof API_ROLES];

const readActions: ReadonlySet<CallCommandAction> = new Set(['get', 'history', 'list-participants']);

/** Reads need Calls.Read, placing a call Calls.Place, everything acting on an existing call Calls.Control. */
export function requiredRole(action: CallCommandAction): ApiRole {
  if (action === 'place') return API_ROLES.place;
  return readActions.has(action) ? API_ROLES.read : API_ROLES.control;
}

export const isReadAction = (action: CallCommandAction): boolean => readActions.has(action);
