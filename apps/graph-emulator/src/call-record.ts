import { randomUUID } from 'node:crypto';
import type {
  CallState,
  ChatInfo,
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
  | 'updateRecordingStatusOperation';

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
  createdAt: string;
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
  botMuted: boolean;
  recordingStatus: RecordingStatus;
  operations: Map<string, OperationRecord>;
  /** FIFO of playPrompt / recordResponse operation ids; the head is the one running. */
  mediaQueue: string[];
  /** When the head of the media queue started (to tell prompt from recording time). */
  mediaStartedAt?: number;
  mediaTimer?: NodeJS.Timeout;
  keepAliveTimer?: NodeJS.Timeout;
  timers: Set<NodeJS.Timeout>;
  promptsPlayed: { operationId: string; uri: string; at: string }[];
  tonesPressed: Tone[];
  dtmfSent: Tone[];
  createdAt: string;
  endedAt?: string;
}

export const isGroupCall = (call: CallRecord): boolean => call.meetingInfo !== undefined || call.chatInfo !== undefined;

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
  });
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
