import { z } from 'zod';
import type { InvitationParticipantInfo } from '@switchboard/graph-models';
import type { Step } from '../flow/flow-model';

/** Who called (or was called): read from the call's source identity. */
export interface CallerInfo {
  id?: string;
  displayName?: string;
  /** The identity kind: user, phone, application, guest, ... */
  kind: string;
}

export interface FlowContext {
  callId: string;
  tenantId: string;
  caller?: CallerInfo;
  /** Milliseconds since the epoch; the engine reads no clock. */
  now: number;
}

/** What a running step waits for. Ids are remembered so that a late or replayed input is recognised. */
export type Waiting =
  | { for: 'prompt'; clientContext: string }
  | {
      for: 'digits';
      attempt: number;
      /** The menu prompt while it plays (keys barge in), null once it ended. */
      promptContext: string | null;
      /** The armed first-digit or inter-digit timer. */
      timerId: string | null;
      digits: string;
    }
  | { for: 'recording'; clientContext: string }
  | { for: 'transfer'; clientContext: string }
  | { for: 'webhook'; requestId: string; timerId: string | null };

/**
 * A recorded message as the flow sees it. Graph's access token for it is not here: the engine keeps no secret in
 * its state (which the platform stores) and gives none to templates; the platform downloads the file with it.
 */
export interface RecordingInfo {
  location: string;
  completionReason?: string;
}

/** The engine's whole memory of one call; plain JSON, stored by the caller between inputs. */
export interface IvrState {
  flow: { id: string; version: number };
  status: 'running' | 'finished';
  call: { id: string; tenantId: string; caller: CallerInfo };
  /** The current step: a flow step name, or `<webhook step>#<index>` for a webhook's inline step. */
  step: string;
  waiting: Waiting | null;
  vars: Record<string, string>;
  /** The digits of the last completed gather. */
  digits: string | null;
  recording: RecordingInfo | null;
  /** Steps a webhook answered with, run in order; then the flow goes on at `then` (or ends). */
  inline: { origin: string; steps: Step[]; then?: string } | null;
  /** Source of unique clientContext, timer and request ids. */
  counter: number;
  /** Highest tone sequence id seen, so a redelivered tone is not counted twice. */
  lastToneSequence: number;
  finishedReason?: string;
}

const clientContext = z.string().min(1).max(256);

/** Inputs fed back to the engine by the platform, discriminated on `type`. */
export const ivrInputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('promptCompleted'), clientContext, ok: z.boolean() }),
  /** `sequenceId` is Graph's toneInfo.sequenceId (or the media service's counter): increasing per call. */
  z.object({ type: z.literal('tone'), digit: z.string().regex(/^[0-9*#A-D]$/), sequenceId: z.number().int().nonnegative() }),
  z.object({ type: z.literal('timerFired'), timerId: z.string().min(1) }),
  z.object({
    type: z.literal('recordCompleted'),
    clientContext,
    ok: z.boolean(),
    location: z.string().optional(),
    completionReason: z.string().optional(),
  }),
  z.object({ type: z.literal('webhookAnswered'), requestId: z.string().min(1), steps: z.unknown().optional(), error: z.string().optional() }),
  z.object({ type: z.literal('transferFailed'), clientContext, reason: z.string() }),
  z.object({ type: z.literal('actionFailed'), clientContext, error: z.string() }),
  /** The call ended (the caller hung up, a transfer completed): the flow stops without commands. */
  z.object({ type: z.literal('callEnded'), reason: z.string().optional() }),
]);
export type IvrInput = z.infer<typeof ivrInputSchema>;
export type IvrInputOf<T extends IvrInput['type']> = Extract<IvrInput, { type: T }>;

/** Effects for the platform to carry out, discriminated on `kind`. */
export type IvrCommand =
  | { kind: 'play'; prompts: string[]; clientContext: string; bargeIn?: boolean }
  | { kind: 'subscribeTones'; clientContext: string }
  | { kind: 'cancelMedia'; clientContext: string }
  | { kind: 'armTimer'; timerId: string; dueAt: number }
  | { kind: 'disarmTimer'; timerId: string }
  | {
      kind: 'record';
      prompt?: string;
      maxDurationSeconds: number;
      maxSilenceSeconds: number;
      initialSilenceSeconds: number;
      beep: boolean;
      stopTones: string[];
      clientContext: string;
    }
  | { kind: 'transfer'; target: InvitationParticipantInfo; replacesCallId?: string; clientContext: string }
  | { kind: 'redirect'; targets: InvitationParticipantInfo[]; timeoutSeconds?: number }
  | { kind: 'invite'; participants: InvitationParticipantInfo[]; clientContext: string }
  | { kind: 'hangup' }
  | { kind: 'webhook'; requestId: string; url: string; payload: WebhookPayload; timeoutMs: number }
  | IvrEvent;

export type IvrCommandOf<K extends IvrCommand['kind']> = Extract<IvrCommand, { kind: K }>;

/** What every event of a flow carries. */
export interface IvrEventBase {
  callId: string;
  flowId: string;
  step: string;
}

/** What each event of a flow carries besides {@link IvrEventBase}, by event name. */
export interface IvrEventFields {
  'digits-collected': { digits: string; attempt: number };
  /** `clientContext` is the `record` command's: the platform matches it to Graph's recordOperation to fetch the file. */
  'recording-available': RecordingInfo & { clientContext: string };
  'webhook-failed': { reason: string; issues?: string[] };
  'step-failed': { error: string };
  'flow-finished': { reason: string };
}

/** Events a flow reports to the platform (published as `flow-event`), discriminated on `name`. */
export type IvrEvent<N extends keyof IvrEventFields = keyof IvrEventFields> = {
  [K in N]: { kind: 'emit'; name: K; data: IvrEventBase & IvrEventFields[K] };
}[N];

export type IvrEventName = keyof IvrEventFields;

/** What the platform POSTs (signed) to a flow's webhook URL. */
export interface WebhookPayload {
  callId: string;
  flowId: string;
  step: string;
  vars: Record<string, string>;
  digits: string | null;
  caller: CallerInfo;
}

export interface EngineResult {
  state: IvrState;
  commands: IvrCommand[];
}

/** Thrown for misuse (state of another flow, a finished state fed on): a bug in the caller, not bad call input. */
export class IvrEngineError extends Error {
  override readonly name = 'IvrEngineError';
}
