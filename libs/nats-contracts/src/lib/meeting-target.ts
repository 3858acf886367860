import { z } from 'zod';
import { JoinLinkError, joinTargetFromMeetingId, parseJoinLink, type JoinTarget, type TeamsCloud } from '@switchboard/graph-models';

/**
 * A meeting to join, named one of three ways Teams hands out (contract §4.1): its join link (every form
 * `parseJoinLink` reads), the meeting id and passcode Teams prints under the link, or a meeting token (from an
 * invitation notification). `as: guest` joins with a display name of its own (Calls.JoinGroupCallAsGuest.All) and
 * waits in the lobby unless the meeting lets everyone in.
 */
export const meetingTargetFields = {
  joinUrl: z.string().min(1).max(8192).optional(),
  meetingId: z.string().min(1).max(40).optional(),
  passcode: z.string().max(64).optional(),
  token: z.string().min(1).max(8192).optional(),
  as: z.enum(['app', 'guest']).default('app'),
  /** The name people see for a guest; a bot joining as the app shows the app's name. */
  displayName: z.string().trim().min(1).max(256).optional(),
};

type MeetingTargetFields = { joinUrl?: string; meetingId?: string; passcode?: string; token?: string; as: 'app' | 'guest'; displayName?: string };

/** Exactly one way to name the meeting, a passcode only with a meeting id, a name for a guest, and a link or id that reads. */
export function checkMeetingTarget(m: MeetingTargetFields, ctx: z.RefinementCtx): void {
  const named = (['joinUrl', 'meetingId', 'token'] as const).filter((k) => m[k] !== undefined);
  if (named.length !== 1) {
    ctx.addIssue({ code: 'custom', path: [], message: `give exactly one of joinUrl, meetingId (with passcode) or token${named.length ? `, not ${named.join(' and ')}` : ''}` });
    return;
  }
  if (m.passcode !== undefined && m.meetingId === undefined) ctx.addIssue({ code: 'custom', path: ['passcode'], message: 'a passcode goes with meetingId' });
  if (m.as === 'guest' && m.displayName === undefined) ctx.addIssue({ code: 'custom', path: ['displayName'], message: 'a guest needs a displayName' });
  try {
    joinLinkOf(m);
  } catch (error) {
    if (!(error instanceof JoinLinkError)) throw error;
    ctx.addIssue({ code: 'custom', path: [m.joinUrl !== undefined ? 'joinUrl' : error.problem === 'passcodeMalformed' ? 'passcode' : 'meetingId'], message: error.message });
  }
}

export const meetingTargetSchema = z.strictObject(meetingTargetFields).superRefine(checkMeetingTarget);

/** Who hosts a call's media: Graph (`serviceHosted`: prompts and tones) or the platform's media pods (`appHosted`). */
export const mediaHostingSchema = z.enum(['serviceHosted', 'appHosted']);
export type MediaHosting = z.infer<typeof mediaHostingSchema>;
export const requestedModalitiesSchema = z.array(z.enum(['audio', 'video', 'videoBasedScreenSharing'])).min(1).max(3);
export type MeetingTarget = z.output<typeof meetingTargetSchema>;

/**
 * The join target Graph needs and the cloud the meeting lives in (a token or meeting id names no cloud: the
 * deployment's own). @throws JoinLinkError naming what is wrong with the link or id.
 */
export function joinLinkOf(m: Pick<MeetingTarget, 'joinUrl' | 'meetingId' | 'passcode' | 'token'>): { target: JoinTarget; cloud?: TeamsCloud } {
  if (m.joinUrl !== undefined) return parseJoinLink(m.joinUrl);
  if (m.meetingId !== undefined) return { target: joinTargetFromMeetingId(m.meetingId, m.passcode) };
  return { target: { meetingInfo: { '@odata.type': '#microsoft.graph.tokenMeetingInfo', token: m.token ?? '' } } };
}
