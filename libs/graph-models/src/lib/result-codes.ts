/** How a call or operation ended, by the class of its `resultInfo.code` (2xx ok, 4xx client, 5xx server). */
export type ResultOutcome = 'success' | 'clientError' | 'serverError' | 'unknown';

export interface ResultExplanation {
  code: number;
  subcode: number;
  outcome: ResultOutcome;
  /** What happened, in words an operator understands. */
  cause: string;
  /** What the bot or its operator should do about it. */
  action: string;
  /** True when the pair is in the table; false for the generic fallback by code class. */
  known: boolean;
}

interface Meaning {
  cause: string;
  action: string;
}
export interface KnownResultCode extends Meaning {
  code: number;
  subcode: number;
}

// Meanings that several subcodes share (contract §1.3); the table below still lists one row per pair.
const otherPartyEnded: Meaning = { cause: 'the other party hung up', action: 'none; the call ended normally' };
const removed: Meaning = { cause: 'a participant removed the bot from the call', action: 'none; join again only if asked to' };
const conversationEnded: Meaning = { cause: 'the conversation was ended for everyone', action: 'none; the call ended normally' };
const rosterEmpty: Meaning = {
  cause: 'everyone else left, so the call ended with an empty roster',
  action: 'none; the call ended normally',
};
const endedByBot: Meaning = { cause: 'the bot ended the call (hang up)', action: 'none; this is the result of our own request' };
const pstnHungUp: Meaning = { cause: 'the phone (PSTN) party hung up', action: 'none; the call ended normally' };
const transferDone: Meaning = {
  cause: 'the call was transferred and the bot left it (GracefulTransferCompleted)',
  action: 'none; the transfer target now holds the call',
};
const transferFailed: Meaning = {
  cause: 'the transfer failed and the call went back to established',
  action: 'tell the caller, then retry the transfer or route the call elsewhere; only same-tenant Teams users (or PSTN via an application instance) can be targets',
};
const calleeMissing = (why: string): Meaning => ({
  cause: `the callee could not be reached: ${why}`,
  action: 'check the target identity (user id, tenant, phone number) and the callee’s calling policy',
});

/** Every code/subcode pair the contract documents (§1.3 termination, §1.6 operations, §3 transfer). */
export const knownResultCodes: readonly KnownResultCode[] = [
  { code: 200, subcode: 0, cause: 'the operation completed', action: 'none' },
  { code: 200, subcode: 4097, ...otherPartyEnded },
  { code: 200, subcode: 4521, ...otherPartyEnded },
  { code: 200, subcode: 5000, ...removed },
  { code: 200, subcode: 5300, ...removed },
  { code: 200, subcode: 5001, ...conversationEnded },
  { code: 200, subcode: 5003, ...conversationEnded },
  { code: 200, subcode: 5002, ...rosterEmpty },
  { code: 200, subcode: 5010, ...rosterEmpty },
  { code: 200, subcode: 5012, ...rosterEmpty },
  { code: 200, subcode: 5013, ...rosterEmpty },
  { code: 200, subcode: 5020, ...rosterEmpty },
  { code: 200, subcode: 5007, cause: 'the person who started the call left', action: 'none; the call ended normally' },
  {
    code: 200,
    subcode: 5855,
    cause: 'the bot waited in the meeting lobby until it timed out; nobody admitted it',
    action: 'ask the organizer to admit the bot or to let it bypass the lobby (lobbyBypassSettings), then join again',
  },
  { code: 200, subcode: 7000, ...endedByBot },
  { code: 200, subcode: 10550, ...endedByBot },
  { code: 0, subcode: 7015, ...transferDone },
  { code: 200, subcode: 7015, ...transferDone },
  { code: 200, subcode: 18503, cause: 'the peer of a one-to-one call left', action: 'none; the call ended normally' },
  { code: 200, subcode: 540000, ...pstnHungUp },
  { code: 200, subcode: 560000, ...pstnHungUp },
  {
    code: 200,
    subcode: 8515,
    cause: 'the recording stopped because it reached maxRecordDurationInSeconds',
    action: 'fetch the recording now (it is discarded soon); raise maxRecordDurationInSeconds (at most 120) if it was cut short',
  },
  {
    code: 400,
    subcode: 8508,
    cause: 'the media operation was cancelled (cancelMediaProcessing, or a barge-in replaced it)',
    action: 'none if the cancel was ours; otherwise run the operation again',
  },
  {
    code: 408,
    subcode: 8537,
    cause: 'Graph ended the call because no keepAlive arrived within 45 minutes',
    action: 'send POST /calls/{id}/keepAlive at least every 45 minutes (15 recommended) and check that the keepAlive timer runs',
  },
  {
    code: 408,
    subcode: 1106,
    cause: 'the answer was not acknowledged in time',
    action: 'answer within 15 s (5 s for policy recording) and check the media configuration the answer sent',
  },
  {
    code: 408,
    subcode: 10057,
    cause: 'the callee sent no signalling in time',
    action: 'retry later; the callee’s client did not respond',
  },
  {
    code: 410,
    subcode: 301005,
    cause: 'media connectivity failed between the platform and the bot',
    action: 'check the media pod’s public IP, port and certificate, and that UDP/TCP media traffic is allowed',
  },
  { code: 480, subcode: 10037, ...calleeMissing('not found') },
  { code: 480, subcode: 10076, ...calleeMissing('unreachable') },
  { code: 480, subcode: 10134, ...calleeMissing('no route to the callee') },
  { code: 480, subcode: 10199, ...calleeMissing('private calling is turned off for the callee') },
  {
    code: 500,
    subcode: 1005,
    cause: 'the bot’s media platform failed to connect',
    action: 'check the media pod (health, certificate thumbprint, public endpoint) and place the call again',
  },
  { code: 500, subcode: 7000, ...transferFailed },
  { code: 500, subcode: 7700, ...transferFailed },
];

const table = new Map(knownResultCodes.map((entry) => [key(entry.code, entry.subcode), entry]));

function key(code: number, subcode: number): string {
  return `${code}/${subcode}`;
}

/** 0 is what Graph sends as the code of a graceful transfer: no error. */
export function outcomeOf(code: number): ResultOutcome {
  if (code === 0 || (code >= 200 && code < 300)) return 'success';
  if (code >= 400 && code < 500) return 'clientError';
  if (code >= 500 && code < 600) return 'serverError';
  // 6xx (SIP global failure): the callee's side refused the call everywhere, e.g. 603 declined.
  if (code >= 600 && code < 700) return 'clientError';
  return 'unknown';
}

/**
 * Codes whose meaning does not depend on the subcode, for pairs the contract does not list. The emulator ends a
 * declined outbound call with 603 and a busy one with 486, the SIP statuses Teams reports for them.
 */
const codeMeanings = new Map<number, Meaning>([
  [486, { cause: 'the callee was busy', action: 'try again later or route the call elsewhere' }],
  [603, { cause: 'the callee declined the call', action: 'none unless unexpected; try another target or later' }],
]);

const fallback: Record<ResultOutcome, Meaning> = {
  success: { cause: 'the call or operation ended without an error', action: 'none' },
  clientError: {
    cause: 'Graph refused the request or ended the call because of the bot, the request or the callee',
    action: 'read resultInfo.message; check the request body, the call state and the app’s permissions',
  },
  serverError: {
    cause: 'Graph or the media platform failed',
    action: 'retry with backoff; if it persists, report it with the callChainId',
  },
  unknown: { cause: 'the result code is outside the 2xx/4xx/5xx classes', action: 'read resultInfo.message' },
};

/**
 * Explains a `resultInfo` code/subcode pair from the contract's table, or by the code's class when the
 * pair is not listed (`known: false`). A missing subcode reads as 0, as Graph omits it when there is none.
 */
export function explainResult(result: { code: number; subcode?: number | null }): ResultExplanation {
  const code = result.code;
  const subcode = result.subcode ?? 0;
  const entry = Number.isInteger(code) && Number.isInteger(subcode) ? table.get(key(code, subcode)) : undefined;
  const outcome = Number.isInteger(code) ? outcomeOf(code) : 'unknown';
  const meaning = entry ?? codeMeanings.get(code) ?? fallback[outcome];
  return { code, subcode, outcome, cause: meaning.cause, action: meaning.action, known: entry !== undefined };
}
