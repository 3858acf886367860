import { randomUUID } from 'node:crypto';
import type {
  CallState,
  ChatInfo,
  IdentitySet,
  InvitationParticipantInfo,
  MediaConfig,
  MediaPrompt,
  MeetingInfo,
  Modality,
  OperationStatus,
  ParticipantInfo,
  RecordingStatus,
  Tone,
} from '@switchboard/graph-models';
import type { Step } from './person-script';
import type { ComplianceInvite } from './compliance-invitations';

export const newId = (): string => randomUUID();

export interface WireResultInfo {
  '@odata.type': '#microsoft.graph.resultInfo';
  code: number;
  subcode: number;
  message: string;
}

export const resultInfo = (code: number, subcode: number, message: string): WireResultInfo => ({
  '@odata.type': '#microsoft.graph.resultInfo',
  code,
  subcode,
  message,
});

/** Operation subtypes the emulator produces, by their `@odata.type` name. */
export type OperationType =
  | 'playPromptOperation'
  | 'recordOperation'
  | 'subscribeToToneOperation'
  | 'cancelMediaProcessingOperation'
  | 'sendDtmfTonesOperation'
  | 'muteParticipantOperation'
  | 'unmuteParticipantOperation'
  | 'updateRecordingStatusOperation'
  | 'inviteParticipantsOperation'
  | 'startHoldMusicOperation'
  | 'stopHoldMusicOperation';

/** recordResponse limits and what the recorder heard, relative to the start of recording. */
export interface RecordingState {
  maxMs: number;
  initialSilenceMs: number;
  maxSilenceMs: number;
  playBeep: boolean;
  bargeIn: boolean;
  phase: 'queued' | 'prompt' | 'recording' | 'done';
  /** Date.now() when the beep sounded and recording began. */
  startedAt?: number;
  /** Speech as [from, to) milliseconds into the recording; `to` is unset while the person still talks. */
  speech: { fromMs: number; toMs?: number }[];
  beeped: boolean;
  /** Ends the recording after initial silence, or after silence that follows speech. */
  silenceTimer?: NodeJS.Timeout;
}

export interface OperationRecord {
  id: string;
  type: OperationType;
  status: OperationStatus;
  clientContext?: string;
  resultInfo: WireResultInfo | null;
  completionReason?: string;
  recordingLocation?: string;
  recordingAccessToken?: string;
  /** playPrompt / recordResponse: what plays before it finishes. */
  prompts?: MediaPrompt[];
  /** recordResponse: keys that stop the recording early. */
  stopTones?: Tone[];
  /** How long the operation runs once it starts. */
  durationMs?: number;
  /** recordResponse: how many milliseconds were recorded (for the WAV served at recordingLocation). */
  recordedMs?: number;
  recording?: RecordingState;
  /** Timers that belong to this operation while it runs (prompt end, record limits). */
  timers: Set<NodeJS.Timeout>;
  /** inviteParticipantsOperation: who was invited. */
  participants?: InvitationParticipantInfo[];
  createdAt: string;
}

/** One roster entry. The bot is always the first; the others are simulated people. */
export interface ParticipantRecord {
  id: string;
  identity: IdentitySet | null;
  /** The MSI of the participant's audio stream. */
  sourceId: string;
  serverMuted: boolean;
  onHold: boolean;
  isBot: boolean;
  /** Meetings: waiting in the lobby until someone admits them. */
  inLobby?: boolean;
  /** Meetings: sharing their screen (a video-based screen-sharing stream that sends). */
  sharingScreen?: boolean;
  /** The bot's last status Graph accepted (updateRecordingStatus): the roster's `recordingInfo`. */
  recordingStatus?: RecordingStatus;
}

/** The simulated person on a P2P call (caller or callee): scripted steps and whether they are talking. */
export interface PersonState {
  /** Steps not yet started, in order. */
  steps: Step[];
  /** A step is running (or waiting for the bot to listen for keys). */
  busy: boolean;
  /** Scripted people do only what their script says; unscripted ones leave a message when recorded. */
  scripted: boolean;
  speaking: boolean;
  /** Steps done so far, for the control API. */
  done: { at: string; step: Step }[];
  /** Keys pressed while nothing listened for them. */
  tonesDropped: Tone[];
}

export interface CallRecord {
  id: string;
  tenantId: string;
  direction: 'incoming' | 'outgoing';
  state: CallState;
  myParticipantId: string;
  callChainId: string;
  /** Where notifications for this call go right now. */
  callbackUri: string;
  source: ParticipantInfo;
  targets: InvitationParticipantInfo[];
  /** The simulated person (caller or callee) as a roster entry id. */
  peerParticipantId: string;
  requestedModalities: Modality[];
  acceptedModalities?: Modality[];
  mediaConfig?: MediaConfig;
  chatInfo?: ChatInfo;
  meetingInfo?: MeetingInfo;
  subject?: string;
  mediaAudio?: 'active' | 'inactive';
  resultInfo?: WireResultInfo;
  toneSubscribed: boolean;
  toneSequence: number;
  /** Roster in join order; P2P calls hold the bot and the peer. */
  participants: Map<string, ParticipantRecord>;
  /** Ad-hoc group call or meeting: roster notifications are sent. */
  group: boolean;
  /** `callOptions.isDeltaRosterEnabled`: roster updates carry only the changes, numbered. */
  deltaRoster: boolean;
  rosterSequence: number;
  person: PersonState;
  recordingStatus: RecordingStatus;
  operations: Map<string, OperationRecord>;
  /** FIFO of playPrompt / recordResponse operation ids; the head is the one running. */
  mediaQueue: string[];
  keepAliveTimer?: NodeJS.Timeout;
  timers: Set<NodeJS.Timeout>;
  promptsPlayed: { operationId: string; uri: string; at: string }[];
  tonesPressed: Tone[];
  dtmfSent: Tone[];
  createdAt: string;
  endedAt?: string;
  /** A policy-based recording invitation: the policy, and the recorded users this bot took (the first, then joins). */
  policy?: { invite: ComplianceInvite; recordedUsers: string[] };
  /** The answer's `participantCapacity`: recorded users one bot takes before Graph invites another. */
  participantCapacity?: number;
}


export const botParticipant = (call: CallRecord): ParticipantRecord | undefined => call.participants.get(call.myParticipantId);

/** The call as Graph returns it from create/get and sends it in the `created` notification. */
export function callView(call: CallRecord): Record<string, unknown> {
  return stripUndefined({
    '@odata.type': '#microsoft.graph.call',
    id: call.id,
    state: call.state,
    direction: call.direction,
    callbackUri: call.callbackUri,
    callChainId: call.callChainId,
    tenantId: call.tenantId,
    myParticipantId: call.myParticipantId,
    subject: call.subject,
    source: call.source,
    targets: call.targets,
    requestedModalities: call.requestedModalities,
    activeModalities: call.acceptedModalities,
    mediaConfig: call.mediaConfig,
    chatInfo: call.chatInfo,
    meetingInfo: call.meetingInfo,
    mediaState: call.mediaAudio ? mediaState(call.mediaAudio) : undefined,
    resultInfo: call.resultInfo,
  });
}

export const mediaState = (audio: 'active' | 'inactive') => ({ '@odata.type': '#microsoft.graph.callMediaState', audio });

export function operationView(op: OperationRecord): Record<string, unknown> {
  return stripUndefined({
    '@odata.type': `#microsoft.graph.${op.type}`,
    id: op.id,
    status: op.status,
    clientContext: op.clientContext ?? null,
    resultInfo: op.resultInfo,
    completionReason: op.completionReason,
    recordingLocation: op.recordingLocation,
    recordingAccessToken: op.recordingAccessToken,
    participants: op.participants,
  });
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
