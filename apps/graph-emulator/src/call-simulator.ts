import { randomBytes } from 'node:crypto';
import {
  type AnswerRequest,
  type ContextOnlyRequest,
  type CreateCallRequest,
  type InvitationParticipantInfo,
  type ParticipantInfo,
  type PlayPromptRequest,
  type RecordResponseRequest,
  type RedirectRequest,
  type RejectRequest,
  type SendDtmfTonesRequest,
  type Tone,
  type TransferRequest,
  type UpdateRecordingStatusRequest,
  digitToTone,
} from '@switchboard/graph-models';
import type { EmulatorTimings } from './config';
import {
  type CallRecord,
  type OperationRecord,
  type OperationType,
  type WireResultInfo,
  callView,
  isGroupCall,
  mediaState,
  newId,
  operationView,
  resultInfo,
} from './call-record';
import type { CallNotifications } from './call-notifications';
import { badRequest, conflict, notFound } from './http-kit';

/** What a simulated callee does when the bot calls them (set per user through the control API). */
export type CalleeBehaviour = 'answer' | 'decline' | 'noAnswer' | 'unreachable';

export interface SimulatorOptions {
  tenantId: string;
  botAppId: string;
  botDisplayName: string;
  botWebhookUrl: string;
  /** Base for recording locations handed to the bot. */
  baseUrl: string;
  timings: EmulatorTimings;
}

/** Termination results the emulator reports (contract §1.3). */
const ENDED = {
  byBot: () => resultInfo(200, 7000, 'The call was ended by the application.'),
  byPeer: () => resultInfo(200, 4097, 'The conversation has ended: the other party hung up.'),
  keepAliveTimeout: () => resultInfo(408, 8537, 'The call was terminated because no keepAlive arrived in time.'),
  notAnswered: () => resultInfo(408, 10057, 'The call was not answered in time.'),
  rejected: (reason: string) => resultInfo(603, 0, `The call was rejected by the application (reason: ${reason}).`),
  redirected: () => resultInfo(200, 0, 'The call was redirected.'),
  transferred: () => resultInfo(200, 7015, 'GracefulTransferCompleted'),
  declined: () => resultInfo(603, 0, 'The callee declined the call.'),
  unreachable: () => resultInfo(480, 10037, 'The callee was not found.'),
} satisfies Record<string, (...args: never[]) => WireResultInfo>;

const DONE = () => resultInfo(200, 0, 'Action completed.');
const CANCELLED = () => resultInfo(400, 8508, 'Action failed, the operation was cancelled.');
const DEFAULT_RECORD_MAX_S = 5;
const DEFAULT_DTMF_GAP_MS = 100;
const DEFAULT_KEY_GAP_MS = 150;

/**
 * The simulated cloud: calls, their states, the people on the other end and the media operations
 * Graph runs for service-hosted calls. Every method validates state first and throws an HttpError
 * before changing anything.
 */
export class CallSimulator {
  private readonly calls = new Map<string, CallRecord>();
  private readonly calleeRules = new Map<string, CalleeBehaviour>();

  constructor(
    private readonly options: SimulatorOptions,
    private readonly notify: CallNotifications,
  ) {}

  // ---- lookup -------------------------------------------------------------------------------

  /** A live call; ended calls are gone for the Graph API (404), as in Graph. */
  private live(id: string): CallRecord {
    const call = this.calls.get(id.toLowerCase());
    if (!call || call.state === 'terminated') throw notFound(`Call '${id}' was not found.`);
    return call;
  }

  private known(id: string): CallRecord {
    const call = this.calls.get(id.toLowerCase());
    if (!call) throw notFound(`Call '${id}' was not found.`);
    return call;
  }

  private requireState(call: CallRecord, action: string, ...states: CallRecord['state'][]): void {
    if (!states.includes(call.state)) {
      throw conflict(`Cannot ${action} call '${call.id}' in state '${call.state}'; expected ${states.join(' or ')}.`);
    }
  }

  get(id: string): Record<string, unknown> {
    return callView(this.live(id));
  }

  participants(id: string): Record<string, unknown>[] {
    return this.roster(this.live(id));
  }

  // ---- call lifecycle -----------------------------------------------------------------------

  /** A simulated person calls the bot (P2P): Graph sends `created`/`incoming` to the bot's webhook. */
  incoming(input: { caller?: { id?: string; displayName?: string }; tenantId?: string }): CallRecord {
    const tenantId = input.tenantId ?? this.options.tenantId;
    const source: ParticipantInfo = {
      '@odata.type': '#microsoft.graph.participantInfo',
      id: newId(),
      identity: {
        '@odata.type': '#microsoft.graph.identitySet',
        user: { id: input.caller?.id ?? newId(), displayName: input.caller?.displayName ?? 'Simulated Caller', tenantId },
      },
      endpointType: 'default',
      region: 'amer',
      languageId: 'en-US',
      countryCode: 'US',
    };
    const call = this.newCall({
      direction: 'incoming',
      state: 'incoming',
      tenantId,
      callbackUri: this.options.botWebhookUrl,
      source,
      targets: [this.botAsTarget()],
      requestedModalities: ['audio'],
    });
    call.peerParticipantId = source.id ?? newId();
    this.notify.call(call, 'created', {
      ...callView(call),
      incomingContext: { '@odata.type': '#microsoft.graph.incomingContext', sourceParticipantId: source.id, observedParticipantId: source.id },
    });
    if (this.options.timings.answerTimeoutMs > 0) {
      this.after(call, this.options.timings.answerTimeoutMs, () => {
        if (call.state === 'incoming') this.terminate(call, ENDED.notAnswered());
      });
    }
    return call;
  }

  /** The bot places a call or joins a meeting: 201 with `establishing`, then the callee answers after a ring. */
  create(body: CreateCallRequest): Record<string, unknown> {
    const call = this.newCall({
      direction: 'outgoing',
      state: 'establishing',
      tenantId: body.tenantId ?? this.options.tenantId,
      callbackUri: body.callbackUri,
      source: body.source ?? this.botAsSource(),
      targets: body.targets ?? [],
      requestedModalities: body.requestedModalities,
    });
    Object.assign(call, {
      mediaConfig: body.mediaConfig,
      chatInfo: body.chatInfo,
      meetingInfo: body.meetingInfo,
      subject: body.subject,
      acceptedModalities: body.requestedModalities,
    });
    this.notify.call(call, 'updated', { state: 'establishing' });
    const behaviour = this.behaviourOf(call.targets);
    this.after(call, this.options.timings.ringMs, () => this.settleOutgoing(call, behaviour));
    return callView(call);
  }

  private settleOutgoing(call: CallRecord, behaviour: CalleeBehaviour): void {
    if (call.state !== 'establishing') return;
    if (behaviour === 'decline') return this.terminate(call, ENDED.declined());
    if (behaviour === 'unreachable') return this.terminate(call, ENDED.unreachable());
    if (behaviour === 'noAnswer') {
      // Rings until the answer timeout; with the timeout off it rings until someone hangs up.
      const wait = this.options.timings.answerTimeoutMs;
      if (wait > 0) this.after(call, wait, () => call.state === 'establishing' && this.terminate(call, ENDED.notAnswered()));
      return;
    }
    this.establish(call);
  }

  answer(id: string, body: AnswerRequest): void {
    const call = this.live(id);
    this.requireState(call, 'answer', 'incoming');
    Object.assign(call, {
      callbackUri: body.callbackUri,
      mediaConfig: body.mediaConfig,
      acceptedModalities: body.acceptedModalities,
      state: 'establishing',
    });
    this.notify.call(call, 'updated', { state: 'establishing' });
    this.after(call, this.options.timings.answerDelayMs, () => call.state === 'establishing' && this.establish(call));
  }

  reject(id: string, body: RejectRequest): void {
    const call = this.live(id);
    this.requireState(call, 'reject', 'incoming');
    if (body.callbackUri) call.callbackUri = body.callbackUri;
    this.terminate(call, ENDED.rejected(body.reason ?? 'none'));
  }

  redirect(id: string, body: RedirectRequest): void {
    const call = this.live(id);
    this.requireState(call, 'redirect', 'incoming');
    if (body.callbackUri) call.callbackUri = body.callbackUri;
    this.setState(call, 'redirecting');
    this.after(call, this.options.timings.answerDelayMs, () => this.terminate(call, ENDED.redirected()));
  }

  /** transferring → transferAccepted → terminated 200/7015; a declining target puts the call back to established. */
  transfer(id: string, body: TransferRequest): void {
    const call = this.live(id);
    this.requireState(call, 'transfer', 'established');
    this.setState(call, 'transferring');
    const behaviour = this.behaviourOf([body.transferTarget]);
    this.after(call, this.options.timings.ringMs, () => {
      if (call.state !== 'transferring') return;
      if (behaviour !== 'answer') {
        call.state = 'established';
        this.notify.call(call, 'updated', { state: 'established', resultInfo: resultInfo(500, 7700, 'The transfer failed.') });
        return;
      }
      this.setState(call, 'transferAccepted');
      this.after(call, this.options.timings.answerDelayMs, () => this.terminate(call, ENDED.transferred()));
    });
  }

  /** DELETE by the bot: 204, then `deleted`/`terminated` 200/7000. */
  hangUpByBot(id: string): void {
    this.terminate(this.live(id), ENDED.byBot());
  }

  keepAlive(id: string): void {
    const call = this.live(id);
    this.armKeepAlive(call);
  }

  /** The simulated person hangs up: `terminating`, then `terminated` 200/4097. */
  hangUpByPeer(id: string): void {
    const call = this.known(id);
    if (call.state === 'terminated') throw conflict(`Call '${call.id}' has already ended.`);
    this.terminate(call, ENDED.byPeer(), true);
  }

  setCalleeBehaviour(userId: string, behaviour: CalleeBehaviour): void {
    this.calleeRules.set(userId.toLowerCase(), behaviour);
  }

  // ---- media operations (service-hosted media) ----------------------------------------------

  playPrompt(id: string, body: PlayPromptRequest): Record<string, unknown> {
    const call = this.mediaCall(id, 'play prompts on');
    const op = this.newOperation(call, 'playPromptOperation', 'running', body.clientContext);
    op.prompts = body.prompts;
    op.durationMs = this.options.timings.promptMs * body.prompts.length;
    this.enqueueMedia(call, op);
    return operationView(op);
  }

  recordResponse(id: string, body: RecordResponseRequest): Record<string, unknown> {
    const call = this.mediaCall(id, 'record a response on');
    const op = this.newOperation(call, 'recordOperation', 'running', body.clientContext);
    const maxMs = (body.maxRecordDurationInSeconds ?? DEFAULT_RECORD_MAX_S) * 1000;
    op.prompts = body.prompts ?? [];
    op.recordedMs = Math.min(this.options.timings.recordMs, maxMs);
    op.durationMs = this.options.timings.promptMs * op.prompts.length + op.recordedMs;
    op.stopTones = (body.stopTones ?? []).map((t) => digitToTone(t)).filter((t): t is Tone => t !== undefined);
    op.completionReason = op.recordedMs >= maxMs ? 'maxRecordDurationReached' : 'maxSilenceTimeout';
    this.enqueueMedia(call, op);
    return operationView(op);
  }

  /** Completes at once; the running and queued media operations fail with 400/8508 operationCanceled. */
  cancelMediaProcessing(id: string, body: ContextOnlyRequest): Record<string, unknown> {
    const call = this.live(id);
    this.requireState(call, 'cancel media processing on', 'established');
    const op = this.newOperation(call, 'cancelMediaProcessingOperation', 'completed', body.clientContext, DONE());
    this.cancelMedia(call);
    return operationView(op);
  }

  subscribeToTone(id: string, body: ContextOnlyRequest): Record<string, unknown> {
    const call = this.mediaCall(id, 'subscribe to tones on');
    call.toneSubscribed = true;
    return operationView(this.newOperation(call, 'subscribeToToneOperation', 'completed', body.clientContext, DONE()));
  }

  sendDtmfTones(id: string, body: SendDtmfTonesRequest): Record<string, unknown> {
    const call = this.live(id);
    this.requireState(call, 'send DTMF tones on', 'established');
    const op = this.newOperation(call, 'sendDtmfTonesOperation', 'running', body.clientContext);
    const gap = body.delayBetweenTonesMs ?? DEFAULT_DTMF_GAP_MS;
    this.after(call, gap * body.tones.length, () => {
      call.dtmfSent.push(...body.tones);
      this.finish(call, op, 'completed', DONE(), 'completedSuccessfully');
    });
    return operationView(op);
  }

  /** Server-side mute of the bot; group calls also get a roster update. */
  setMuted(id: string, muted: boolean, body: ContextOnlyRequest): Record<string, unknown> {
    const call = this.live(id);
    this.requireState(call, muted ? 'mute' : 'unmute', 'established');
    call.botMuted = muted;
    const type = muted ? 'muteParticipantOperation' : 'unmuteParticipantOperation';
    const op = this.newOperation(call, type, 'completed', body.clientContext, DONE());
    if (isGroupCall(call)) this.notify.roster(call, this.roster(call));
    return operationView(op);
  }

  updateRecordingStatus(id: string, body: UpdateRecordingStatusRequest): Record<string, unknown> {
    const call = this.live(id);
    this.requireState(call, 'update the recording status of', 'establishing', 'established');
    call.recordingStatus = body.status;
    return operationView(this.newOperation(call, 'updateRecordingStatusOperation', 'completed', body.clientContext, DONE()));
  }

  /** The simulated person presses keys; each key reaches a subscribed bot as a `toneInfo` update. */
  pressTones(id: string, keys: string, gapMs = DEFAULT_KEY_GAP_MS): Tone[] {
    const call = this.known(id);
    const tones = [...keys].map((k) => {
      const tone = digitToTone(k);
      if (!tone) throw badRequest(`tones: '${k}' is not a key (use 0-9, *, #, A-D).`);
      return tone;
    });
    if (tones.length === 0) throw badRequest('tones: at least one key is required.');
    this.requireState(call, 'press keys on', 'established');
    if (!call.toneSubscribed) throw conflict(`The bot has not subscribed to tones on call '${call.id}'.`);
    tones.forEach((tone, i) => this.after(call, gapMs * i, () => this.deliverTone(call, tone)));
    return tones;
  }

  /** The WAV body of a finished recording, if the access token matches. */
  recording(operationId: string, accessToken: string): { durationMs: number } | undefined {
    for (const call of this.calls.values()) {
      const op = call.operations.get(operationId);
      if (op?.type === 'recordOperation' && op.status === 'completed' && op.recordingAccessToken === accessToken) {
        return { durationMs: op.recordedMs ?? 0 };
      }
    }
    return undefined;
  }

  // ---- control-API views --------------------------------------------------------------------

  snapshot(id: string): Record<string, unknown> {
    const call = this.known(id);
    return {
      id: call.id,
      state: call.state,
      direction: call.direction,
      tenantId: call.tenantId,
      callbackUri: call.callbackUri,
      myParticipantId: call.myParticipantId,
      source: call.source,
      targets: call.targets,
      mediaConfigType: call.mediaConfig?.['@odata.type'] ?? null,
      toneSubscription: { subscribed: call.toneSubscribed, lastSequenceId: call.toneSequence },
      operations: [...call.operations.values()].map(operationView),
      mediaQueue: [...call.mediaQueue],
      promptsPlayed: call.promptsPlayed,
      tonesPressed: call.tonesPressed,
      dtmfSent: call.dtmfSent,
      recordingStatus: call.recordingStatus,
      botMuted: call.botMuted,
      resultInfo: call.resultInfo ?? null,
      createdAt: call.createdAt,
      endedAt: call.endedAt ?? null,
    };
  }

  list(): Record<string, unknown>[] {
    return [...this.calls.values()].map((c) => ({ id: c.id, state: c.state, direction: c.direction, createdAt: c.createdAt }));
  }

  /** Cancels every timer; used when the emulator stops. */
  stop(): void {
    for (const call of this.calls.values()) this.clearTimers(call);
  }

  // ---- internals ----------------------------------------------------------------------------

  private newCall(init: Pick<CallRecord, 'direction' | 'state' | 'tenantId' | 'callbackUri' | 'source' | 'targets' | 'requestedModalities'>): CallRecord {
    const call: CallRecord = {
      ...init,
      id: newId(),
      myParticipantId: newId(),
      callChainId: newId(),
      peerParticipantId: newId(),
      toneSubscribed: false,
      toneSequence: 0,
      botMuted: false,
      recordingStatus: 'unknown',
      operations: new Map(),
      mediaQueue: [],
      timers: new Set(),
      promptsPlayed: [],
      tonesPressed: [],
      dtmfSent: [],
      createdAt: new Date().toISOString(),
    };
    this.calls.set(call.id, call);
    return call;
  }

  private botIdentity() {
    return { application: { id: this.options.botAppId, displayName: this.options.botDisplayName } };
  }

  private botAsTarget(): InvitationParticipantInfo {
    return { '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', ...this.botIdentity() } };
  }

  private botAsSource(): ParticipantInfo {
    return { '@odata.type': '#microsoft.graph.participantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', ...this.botIdentity() } };
  }

  private behaviourOf(targets: InvitationParticipantInfo[]): CalleeBehaviour {
    for (const target of targets) {
      const id = target.identity.user?.id ?? target.identity.phone?.id;
      const rule = id ? this.calleeRules.get(id.toLowerCase()) : undefined;
      if (rule) return rule;
    }
    return 'answer';
  }

  private setState(call: CallRecord, state: CallRecord['state']): void {
    call.state = state;
    this.notify.call(call, 'updated', { state });
  }

  private establish(call: CallRecord): void {
    call.state = 'established';
    call.mediaAudio = 'active';
    this.notify.call(call, 'updated', { state: 'established', mediaState: mediaState('active') });
    if (isGroupCall(call)) this.notify.roster(call, this.roster(call));
    this.armKeepAlive(call);
  }

  private armKeepAlive(call: CallRecord): void {
    if (call.keepAliveTimer) this.cancelTimer(call, call.keepAliveTimer);
    if (this.options.timings.keepAliveTimeoutMs <= 0) return;
    call.keepAliveTimer = this.after(call, this.options.timings.keepAliveTimeoutMs, () => this.terminate(call, ENDED.keepAliveTimeout()));
  }

  /** Ends a call: optional `terminating` update, then `deleted` with `terminated`; nothing follows it. */
  private terminate(call: CallRecord, result: WireResultInfo, announce = false): void {
    if (call.state === 'terminated') return;
    this.clearTimers(call);
    call.mediaQueue = [];
    if (announce) this.setState(call, 'terminating');
    Object.assign(call, { state: 'terminated', resultInfo: result, endedAt: new Date().toISOString(), mediaAudio: undefined });
    this.notify.call(call, 'deleted', { id: call.id, state: 'terminated', resultInfo: result });
  }

  private mediaCall(id: string, action: string): CallRecord {
    const call = this.live(id);
    this.requireState(call, action, 'established');
    if (call.mediaConfig?.['@odata.type'] !== '#microsoft.graph.serviceHostedMediaConfig') {
      throw badRequest(`Cannot ${action} call '${call.id}': the action needs serviceHostedMediaConfig.`);
    }
    return call;
  }

  private newOperation(
    call: CallRecord,
    type: OperationType,
    status: OperationRecord['status'],
    clientContext: string | undefined,
    result: WireResultInfo | null = null,
  ): OperationRecord {
    const op: OperationRecord = { id: newId(), type, status, clientContext, resultInfo: result, createdAt: new Date().toISOString() };
    call.operations.set(op.id, op);
    return op;
  }

  private finish(call: CallRecord, op: OperationRecord, status: 'completed' | 'failed', result: WireResultInfo, reason?: string): void {
    if (call.state === 'terminated' || op.status !== 'running') return;
    Object.assign(op, { status, resultInfo: result, completionReason: reason ?? op.completionReason });
    this.notify.operationDone(call, op);
  }

  /** playPrompt and recordResponse share one FIFO: only the head runs. */
  private enqueueMedia(call: CallRecord, op: OperationRecord): void {
    call.mediaQueue.push(op.id);
    if (call.mediaQueue.length === 1) this.startMedia(call);
  }

  private startMedia(call: CallRecord): void {
    const op = call.operations.get(call.mediaQueue[0] ?? '');
    if (!op) return;
    call.mediaStartedAt = Date.now();
    call.mediaTimer = this.after(call, op.durationMs ?? 0, () => this.completeMedia(call, op));
  }

  private completeMedia(call: CallRecord, op: OperationRecord, stoppedBy?: Tone): void {
    if (call.mediaTimer) this.cancelTimer(call, call.mediaTimer);
    call.mediaTimer = undefined;
    const at = new Date().toISOString();
    for (const prompt of op.prompts ?? []) call.promptsPlayed.push({ operationId: op.id, uri: prompt.mediaInfo.uri, at });
    if (op.type === 'recordOperation') {
      op.recordingLocation = `${this.options.baseUrl}/emulator/recordings/${op.id}`;
      op.recordingAccessToken = randomBytes(24).toString('base64url');
      if (stoppedBy) op.recordedMs = Math.max(0, Date.now() - (call.mediaStartedAt ?? Date.now()) - this.promptTime(op));
      const reason = stoppedBy ? 'stopToneDetected' : op.completionReason;
      const result =
        reason === 'maxRecordDurationReached' ? resultInfo(200, 8515, 'Action completed, max record duration reached.') : DONE();
      this.finish(call, op, 'completed', result, reason);
    } else {
      this.finish(call, op, 'completed', DONE());
    }
    call.mediaQueue.shift();
    this.startMedia(call);
  }

  private promptTime(op: OperationRecord): number {
    return this.options.timings.promptMs * (op.prompts?.length ?? 0);
  }

  private cancelMedia(call: CallRecord): void {
    if (call.mediaTimer) this.cancelTimer(call, call.mediaTimer);
    call.mediaTimer = undefined;
    const cancelled = call.mediaQueue.splice(0);
    for (const opId of cancelled) {
      const op = call.operations.get(opId);
      if (op) this.finish(call, op, 'failed', CANCELLED(), 'operationCanceled');
    }
  }

  private deliverTone(call: CallRecord, tone: Tone): void {
    if (call.state !== 'established') return;
    call.tonesPressed.push(tone);
    call.toneSequence += 1;
    this.notify.call(call, 'updated', {
      state: 'established',
      toneInfo: { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: call.toneSequence, tone },
    });
    // A stop tone ends a recordResponse that is past its prompt and recording.
    const head = call.operations.get(call.mediaQueue[0] ?? '');
    const recording = head?.type === 'recordOperation' && Date.now() - (call.mediaStartedAt ?? 0) >= this.promptTime(head);
    if (head && recording && head.stopTones?.includes(tone)) this.completeMedia(call, head, tone);
  }

  private roster(call: CallRecord): Record<string, unknown>[] {
    const audio = (sourceId: string, muted: boolean) => [
      { '@odata.type': '#microsoft.graph.mediaStream', mediaType: 'audio', label: 'main-audio', sourceId, direction: 'sendReceive', serverMuted: muted },
    ];
    const peerIdentity = call.direction === 'incoming' ? call.source.identity : call.targets[0]?.identity;
    return [
      {
        '@odata.type': '#microsoft.graph.participant',
        id: call.myParticipantId,
        info: { '@odata.type': '#microsoft.graph.participantInfo', identity: this.botIdentity(), endpointType: 'default', languageId: 'en-US' },
        mediaStreams: audio('1', call.botMuted),
        isMuted: call.botMuted,
        isInLobby: false,
        metadata: null,
      },
      {
        '@odata.type': '#microsoft.graph.participant',
        id: call.peerParticipantId,
        info: { '@odata.type': '#microsoft.graph.participantInfo', identity: peerIdentity ?? null, endpointType: 'default', languageId: 'en-US' },
        mediaStreams: audio('2', false),
        isMuted: false,
        isInLobby: false,
        metadata: null,
      },
    ];
  }

  private after(call: CallRecord, ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      call.timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    call.timers.add(timer);
    return timer;
  }

  private cancelTimer(call: CallRecord, timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    call.timers.delete(timer);
  }

  private clearTimers(call: CallRecord): void {
    for (const timer of call.timers) clearTimeout(timer);
    call.timers.clear();
    call.mediaTimer = undefined;
    call.keepAliveTimer = undefined;
  }
}
