import { z } from 'zod';

/**
 * The call-id rule every service applies. A call id is 1-256 letters, digits and `. _ : @ -`: Graph's ids (GUIDs)
 * and the ids media bridges use. Ids of letters, digits and dashes are Graph's and case-insensitive.
 */
const CALL_ID = /^[\w.:@-]{1,256}$/;
const GRAPH_CALL_ID = /^[A-Za-z0-9-]{1,128}$/;
export const CALL_ID_RULE = 'must be 1-256 characters of letters, digits and . _ : @ -';
export const GRAPH_CALL_ID_RULE = 'must be a call id (letters, digits and dashes, at most 128)';

/** Why `callId` breaks the rule, or undefined when it keeps it. */
export function callIdProblem(callId: string): string | undefined {
  return CALL_ID.test(callId) ? undefined : CALL_ID_RULE;
}

/** Any call id a service accepts (media takes these from the bridge). */
export const callIdSchema = z.string().regex(CALL_ID, CALL_ID_RULE);
/** A call id Graph issues; signaling's calls, its API and its notifications use these. */
export const graphCallIdSchema = z.string().regex(GRAPH_CALL_ID, GRAPH_CALL_ID_RULE);

/** A Graph call id in the form signaling keeps it (lower case); throws when it is not one. */
export function graphCallId(callId: string): string {
  if (!GRAPH_CALL_ID.test(callId)) throw new Error(`call id "${callId.slice(0, 300)}" ${GRAPH_CALL_ID_RULE}`);
  return callId.toLowerCase();
}

/** Marks an encoded token; never part of a Graph id, so the two cannot meet. */
const ENCODED = '_';

/**
 * A call id as one subject token and KV key. Graph's ids pass through (lower-cased); any other id keeping the rule
 * is encoded reversibly (`_` + base64url of its UTF-8), so a media call is never refused because of its id.
 */
export function callIdToken(callId: string): string {
  const problem = callIdProblem(callId);
  if (problem) throw new Error(`call id "${callId.slice(0, 300)}" ${problem}`);
  if (GRAPH_CALL_ID.test(callId)) return callId.toLowerCase();
  return ENCODED + Buffer.from(callId, 'utf8').toString('base64url');
}

/** The call id a token stands for (Graph's ids in lower case). */
export function callIdFromToken(token: string): string {
  if (!token.startsWith(ENCODED)) return token;
  const callId = Buffer.from(token.slice(ENCODED.length), 'base64url').toString('utf8');
  if (callIdToken(callId) !== token) throw new Error(`"${token.slice(0, 300)}" is not a call-id token`);
  return callId;
}
