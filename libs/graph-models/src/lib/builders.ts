import type { CallOptions } from './call';
import type { IdentityKind, IdentitySet, InvitationParticipantInfo, ParticipantInfo } from './identity';
import type { JoinTarget } from './join-link';
import type { MediaConfig, MediaInfo, MediaPrompt, Modality } from './media-config';
import type { AnswerRequest, CreateCallRequest, RedirectRequest, TransferRequest } from './requests';

/** Bodies of the calls actions with every documented field the platform uses, typed as Graph prints them. */

/** A prompt file Graph plays (WAV, 16 kHz mono 16-bit); `resourceId` names it for Graph's cache (`preFetchMedia`). */
export interface PromptFile {
  uri: string;
  resourceId?: string;
}

const mediaInfo = ({ uri, resourceId }: PromptFile): MediaInfo => ({
  '@odata.type': '#microsoft.graph.mediaInfo',
  uri,
  ...(resourceId ? { resourceId } : {}),
});

/** A prompt Graph plays from a URL; with a `resourceId`, one it may have prefetched. */
export const mediaPrompt = (prompt: string | PromptFile): MediaPrompt => ({
  '@odata.type': '#microsoft.graph.mediaPrompt',
  mediaInfo: mediaInfo(typeof prompt === 'string' ? { uri: prompt } : prompt),
});

/** Graph hosts the media: prompts, tones and recordResponse are its verbs. `preFetch` prompts are cached before they are played. */
export const serviceHostedMedia = (preFetch: PromptFile[] = []): MediaConfig => ({
  '@odata.type': '#microsoft.graph.serviceHostedMediaConfig',
  ...(preFetch.length ? { preFetchMedia: preFetch.map(mediaInfo) } : {}),
});

/**
 * The bot hosts the media: the blob comes from the media platform of the pod that carries the call
 * (answer-call.md / create-call.md, "appHostedMediaConfig").
 */
export const appHostedMedia = (blob: string): MediaConfig => ({ '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob });

/** A `communicationsIdentitySet` of one identity, `@odata.type` on the set and on the identity, as Graph's examples send it. */
export function identitySet(kind: IdentityKind, identity: { id?: string; displayName?: string; tenantId?: string }): IdentitySet {
  return { '@odata.type': '#microsoft.graph.identitySet', [kind]: { '@odata.type': '#microsoft.graph.identity', ...identity } };
}

/** Who a call, transfer, redirect or invite goes to. `endpointType` is `default` in Graph's transfer examples. */
export function invitationParticipant(
  identity: IdentitySet,
  options: { endpointType?: string; replacesCallId?: string; participantId?: string } = {},
): InvitationParticipantInfo {
  return { '@odata.type': '#microsoft.graph.invitationParticipantInfo', ...options, identity };
}

/** A participant already in the call, named by its identity and participant id (the transferee of a group call). */
export function participantInfo(identity: IdentitySet, participantId?: string): ParticipantInfo {
  return { '@odata.type': '#microsoft.graph.participantInfo', identity, ...(participantId ? { participantId } : {}) };
}

/** Answer with service-hosted media; `preFetch` lists the prompts the call will play, `callOptions` is `incomingCallOptions`. */
export function answerRequest(options: {
  callbackUri: string;
  modalities?: Modality[];
  preFetch?: PromptFile[];
  callOptions?: Omit<CallOptions, '@odata.type'>;
  participantCapacity?: number;
  /** Service-hosted (with `preFetch`) unless given, e.g. {@link appHostedMedia}. */
  mediaConfig?: MediaConfig;
}): AnswerRequest {
  const { callbackUri, modalities = ['audio'], preFetch = [], callOptions, participantCapacity } = options;
  return {
    callbackUri,
    acceptedModalities: modalities,
    mediaConfig: options.mediaConfig ?? serviceHostedMedia(preFetch),
    ...(callOptions ? { callOptions: { '@odata.type': '#microsoft.graph.incomingCallOptions', ...callOptions } } : {}),
    ...(participantCapacity ? { participantCapacity } : {}),
  };
}

/** Answer an audio call with service-hosted media; Graph then notifies at `callbackUri`. */
export const serviceHostedAudioAnswer = (callbackUri: string, preFetch: PromptFile[] = []): AnswerRequest => answerRequest({ callbackUri, preFetch });

/** Transfer to `target`; from a group call Graph needs the `transferee` too (call-transfer.md, example 5). */
export function transferRequest(target: InvitationParticipantInfo, options: { transferee?: ParticipantInfo; clientContext?: string } = {}): TransferRequest {
  return {
    transferTarget: { endpointType: 'default', ...target },
    ...(options.transferee ? { transferee: options.transferee } : {}),
    ...(options.clientContext ? { clientContext: options.clientContext } : {}),
  };
}

/** Redirect an incoming call (several targets ring at once); `routingPolicies` e.g. `["disableForwarding"]`. */
export function redirectRequest(
  targets: InvitationParticipantInfo[],
  options: { callbackUri: string; timeoutSeconds?: number; routingPolicies?: string[] },
): RedirectRequest {
  return {
    targets,
    callbackUri: options.callbackUri,
    ...(options.timeoutSeconds ? { timeout: options.timeoutSeconds } : {}),
    ...(options.routingPolicies?.length ? { routingPolicies: options.routingPolicies } : {}),
  };
}

/**
 * Place a call (to `targets`) or join a meeting (`join`, from `parseJoinLink` or `joinTargetFromMeetingId`).
 * A join by meeting id sends no `chatInfo`; `callOptions` is `outgoingCallOptions`.
 */
export function createCallRequest(options: {
  callbackUri: string;
  source?: ParticipantInfo;
  targets?: InvitationParticipantInfo[];
  join?: JoinTarget;
  tenantId?: string;
  subject?: string;
  modalities?: Modality[];
  mediaConfig?: MediaConfig;
  callOptions?: Omit<CallOptions, '@odata.type'>;
}): CreateCallRequest {
  const { callbackUri, source, targets, join, subject, callOptions } = options;
  // `join.tenantId` is the meeting's tenant (Tid); the call's own tenant wins when given.
  const tenantId = options.tenantId ?? join?.tenantId;
  return {
    '@odata.type': '#microsoft.graph.call',
    callbackUri,
    ...(source ? { source } : {}),
    ...(targets?.length ? { targets } : {}),
    requestedModalities: options.modalities ?? ['audio'],
    mediaConfig: options.mediaConfig ?? serviceHostedMedia(),
    ...(join?.chatInfo ? { chatInfo: join.chatInfo } : {}),
    ...(join ? { meetingInfo: join.meetingInfo } : {}),
    ...(tenantId ? { tenantId } : {}),
    ...(subject ? { subject } : {}),
    ...(callOptions ? { callOptions: { '@odata.type': '#microsoft.graph.outgoingCallOptions', ...callOptions } } : {}),
  };
}
