import {
  type AnswerRequest,
  type ContextOnlyRequest,
  type CreateCallRequest,
  type IdentitySet,
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
import { type CalleeRule, CalleeRules, NOT_CONNECTED, ring } from './callee-rules';
import type { EmulatorTimings } from './config';
import {
  type CallRecord,
  type WireResultInfo,
  botParticipant,
  callView,
  mediaState,
  newId,
  operationView,
  resultInfo,
} from './call-record';
import type { CallNotifications } from './call-notifications';
import { CallStore } from './call-store';
import { after, cancelTimer, clearCallTimers } from './call-timers';
import { badRequest, conflict, notFound } from './http-kit';
import { AppHostedMedia, type AppHostedMediaOptions, type CallMediaView } from './media/app-hosted-media';
import { DONE, MediaQueue } from './media-queue';
import { MeetingRooms } from './meeting-rooms';
import { MeetingDirectory } from './meetings';
import { DEFAULT_KEY_GAP_MS, PersonScripts, type Step, newPerson } from './person-script';
import { type ComplianceInvite, complianceInviteFields } from './compliance-invitations';
import { RecordingStatusBehaviour } from './recording-status-behaviour';
import { Rosters } from './roster';

export interface SimulatorOptions {
  tenantId: string;
  botAppId: string;
  botDisplayName: string;
  botWebhookUrl: string;
  /** Base for recording locations handed to the bot. */
  baseUrl: string;
  timings: EmulatorTimings;
  /** The media platform for app-hosted calls. */
  media?: AppHostedMediaOptions;
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
} satisfies Record<string, (...args: never[]) => WireResultInfo>;

const DEFAULT_DTMF_GAP_MS = 100;
const DEFAULT_MEDIA_FAILURE_GRACE_MS = 5_000;

export interface IncomingCallInput {
  caller?: { id?: string; displayName?: string };
  tenantId?: string;
  script?: Step[];
  camera?: boolean;
  /** A compliance recording invitation instead of a person calling the bot. */
  complianceInvite?: ComplianceInvite;
}

/**
 * The simulated cloud: calls, their states, the people on the other end and the media operations
 * Graph runs for service-hosted calls. Every method validates state first and throws an HttpError
 * before changing anything.
 */
export class CallSimulator {
  readonly store: CallStore;
  readonly rosters: Rosters;
  readonly callees = new CalleeRules();
  readonly meetings: MeetingRooms;
  readonly recordingStatus = new RecordingStatusBehaviour();
  private readonly media: MediaQueue;
  private readonly scripts: PersonScripts;
  private readonly appMedia: AppHostedMedia;

  constructor(
    private readonly options: SimulatorOptions,
    private readonly notify: CallNotifications,
  ) {
    this.store = new CallStore(notify);
    this.rosters = new Rosters(notify, { '@odata.type': '#microsoft.graph.identitySet', ...this.botIdentity() });
    this.media = new MediaQueue({
      promptMs: options.timings.promptMs,
      baseUrl: options.baseUrl,
      finish: (call, op, status, result, reason) => this.store.finish(call, op, status, result, reason),
      recordingStarted: (call) => {
        this.defaultMessage(call);
        this.scripts.resume(call);
      },
    });
    this.appMedia = new AppHostedMedia(options.media ?? { failureGraceMs: DEFAULT_MEDIA_FAILURE_GRACE_MS }, {
      opened: (call) => this.scripts.resume(call),
      fail: (call, result) => this.terminate(call, result),
    });
    this.scripts = new PersonScripts({
      canHearKeys: (call) => this.canHearKeys(call),
      press: (call, tone) => this.hearKey(call, tone),
      speech: (call, talking) => this.speech(call, talking),
      hangUp: (call) => this.terminate(call, ENDED.byPeer(), true),
    });
    this.meetings = new MeetingRooms(
      new MeetingDirectory({ tenantId: options.tenantId }),
      this.store,
      this.rosters,
      { establish: (call) => this.establish(call), terminate: (call, result) => this.terminate(call, result) },
      () => options.timings.answerDelayMs,
    );
  }

  get timings(): EmulatorTimings {
    return this.options.timings;
  }

  get(id: string): Record<string, unknown> {
    return callView(this.store.live(id));
  }

  participants(id: string): Record<string, unknown>[] {
    return this.rosters.list(this.store.live(id));
  }

  operation(callId: string, operationId: string): Record<string, unknown> {
    return operationView(this.store.operation(callId, operationId));
  }

  // ---- call lifecycle -----------------------------------------------------------------------

  /** A simulated person calls the bot (P2P): Graph sends `created`/`incoming` to the bot's webhook. */
  incoming(input: IncomingCallInput): CallRecord {
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
      requestedModalities: input.camera ? ['audio', 'video'] : ['audio'],
    });
    call.peerParticipantId = source.id ?? newId();
    this.rosters.add(call, source.identity ?? null, call.peerParticipantId);
    if (input.script) this.scripts.add(call, input.script);
    const invite = input.complianceInvite;
    if (invite) call.policy = { invite, recordedUsers: [invite.observedUser.id] };
    this.notify.call(call, 'created', {
      ...callView(call),
      incomingContext: { '@odata.type': '#microsoft.graph.incomingContext', sourceParticipantId: source.id, observedParticipantId: source.id },
      ...(invite ? complianceInviteFields(invite, source.id ?? call.peerParticipantId, tenantId) : {}),
    });
    if (this.options.timings.answerTimeoutMs > 0) {
      after(call, this.options.timings.answerTimeoutMs, () => {
        if (call.state === 'incoming') this.terminate(call, ENDED.notAnswered());
      });
    }
    return call;
  }

  /**
   * The bot places a call or joins a meeting: 201 with `establishing`. A P2P callee settles the call
   * by their rule; in a group call the bot's leg connects and each target joins the roster as they answer.
   */
  create(body: CreateCallRequest): Record<string, unknown> {
    this.appMedia.check(body.mediaConfig);
    const targets = body.targets ?? [];
    // A known meeting is resolved first: a wrong meeting id or passcode refuses the create before a call exists.
    const meeting = this.meetings.directory.forJoin(body);
    const call = this.newCall({
      direction: 'outgoing',
      state: 'establishing',
      tenantId: body.tenantId ?? this.options.tenantId,
      callbackUri: body.callbackUri,
      source: body.source ?? this.botAsSource(),
      targets,
      requestedModalities: body.requestedModalities,
    });
    Object.assign(call, {
      mediaConfig: body.mediaConfig,
      chatInfo: body.chatInfo,
      meetingInfo: body.meetingInfo,
      subject: body.subject,
      acceptedModalities: body.requestedModalities,
      group: targets.length > 1 || body.meetingInfo !== undefined || body.chatInfo !== undefined,
      deltaRoster: body.callOptions?.isDeltaRosterEnabled === true,
    });
    this.notify.call(call, 'updated', { state: 'establishing' });
    if (meeting) this.meetings.join(meeting, call);
    else if (call.group) this.connectGroup(call, targets);
    else ring(call, this.callees.of(targets), this.options.timings, (rule) => this.settleOutgoing(call, rule));
    return callView(call);
  }

  private settleOutgoing(call: CallRecord, rule: CalleeRule): void {
    if (call.state !== 'establishing') return;
    if (rule.behaviour !== 'answer') return this.terminate(call, NOT_CONNECTED[rule.behaviour]());
    this.rosters.add(call, call.targets[0]?.identity ?? null, call.peerParticipantId);
    if (rule.script) this.scripts.add(call, rule.script);
    this.establish(call);
  }

  private connectGroup(call: CallRecord, targets: InvitationParticipantInfo[]): void {
    after(call, this.options.timings.answerDelayMs, () => {
      if (call.state !== 'establishing') return;
      const meeting = call.meetingInfo;
      if (meeting?.['@odata.type'] === '#microsoft.graph.organizerMeetingInfo') this.rosters.add(call, meeting.organizer);
      this.establish(call);
      for (const target of targets) {
        ring(call, this.callees.of([target]), this.options.timings, (rule) => {
          if (rule.behaviour !== 'answer' || call.state === 'terminated') return;
          this.rosters.changed(call, [this.rosters.add(call, target.identity)]);
        });
      }
    });
  }

  answer(id: string, body: AnswerRequest): void {
    const call = this.store.live(id);
    this.store.requireState(call, 'answer', 'incoming');
    this.appMedia.check(body.mediaConfig);
    Object.assign(call, {
      callbackUri: body.callbackUri,
      mediaConfig: body.mediaConfig,
      acceptedModalities: body.acceptedModalities,
      state: 'establishing',
      ...(body.participantCapacity ? { participantCapacity: body.participantCapacity } : {}),
    });
    this.notify.call(call, 'updated', { state: 'establishing' });
    after(call, this.options.timings.answerDelayMs, () => call.state === 'establishing' && this.establish(call));
  }

  reject(id: string, body: RejectRequest): void {
    const call = this.store.live(id);
    this.store.requireState(call, 'reject', 'incoming');
    if (body.callbackUri) call.callbackUri = body.callbackUri;
    this.terminate(call, ENDED.rejected(body.reason ?? 'none'));
  }

  redirect(id: string, body: RedirectRequest): void {
    const call = this.store.live(id);
    this.store.requireState(call, 'redirect', 'incoming');
    if (body.callbackUri) call.callbackUri = body.callbackUri;
    this.setState(call, 'redirecting');
    after(call, this.options.timings.answerDelayMs, () => this.terminate(call, ENDED.redirected()));
  }

  /**
   * Blind: transferring → (target rings) → transferAccepted → terminated 200/7015, or back to
   * established with 500/7700 when the target does not take it. Consultative (`replacesCallId`,
   * P2P only): the target is already on the consultation call, so it succeeds and both calls end.
   */
  transfer(id: string, body: TransferRequest): void {
    const call = this.store.live(id);
    this.store.requireState(call, 'transfer', 'established');
    const replacesCallId = body.transferTarget.replacesCallId;
    const replaced = replacesCallId ? this.consultationCall(call, replacesCallId) : undefined;
    this.setState(call, 'transferring');
    const accepted = () => {
      this.setState(call, 'transferAccepted');
      after(call, this.options.timings.answerDelayMs, () => {
        this.terminate(call, ENDED.transferred());
        if (replaced) this.terminate(replaced, ENDED.transferred());
      });
    };
    if (replaced) return void after(call, this.options.timings.answerDelayMs, accepted);
    ring(call, this.callees.of([body.transferTarget]), this.options.timings, (rule) => {
      if (call.state !== 'transferring') return;
      if (rule.behaviour === 'answer') return accepted();
      call.state = 'established';
      const why = NOT_CONNECTED[rule.behaviour]().message;
      this.notify.call(call, 'updated', { state: 'established', resultInfo: resultInfo(500, 7700, `The transfer failed: ${why}`) });
      this.scripts.resume(call);
    });
  }

  private consultationCall(call: CallRecord, replacesCallId: string): CallRecord {
    const fail = (why: string) => badRequest(`Invalid request body: transferTarget.replacesCallId: ${why}`);
    if (call.group) throw fail('a consultative transfer needs a peer-to-peer call.');
    const replaced = this.store.all().find((c) => c.id === replacesCallId.toLowerCase());
    if (!replaced || replaced.state !== 'established') throw fail(`'${replacesCallId}' is not an established call.`);
    if (replaced === call) throw fail('a call cannot replace itself.');
    return replaced;
  }

  /** DELETE by the bot: 204, then `deleted`/`terminated` 200/7000. */
  hangUpByBot(id: string): void {
    this.terminate(this.store.live(id), ENDED.byBot());
  }

  keepAlive(id: string): void {
    this.armKeepAlive(this.store.live(id));
  }

  /** The simulated person hangs up: `terminating`, then `terminated` 200/4097. */
  hangUpByPeer(id: string): void {
    const call = this.store.known(id);
    if (call.state === 'terminated') throw conflict(`Call '${call.id}' has already ended.`);
    this.terminate(call, ENDED.byPeer(), true);
  }

  setCalleeRule(key: string, rule: CalleeRule): void {
    this.callees.set(key, rule);
  }

  // ---- the person on the call ---------------------------------------------------------------

  /** Queues script steps for the person on a call; they run while the call is established. */
  addScript(id: string, steps: Step[]): number {
    const call = this.store.known(id);
    if (call.state === 'terminated') throw conflict(`Call '${call.id}' has already ended.`);
    if (call.group) throw badRequest(`Call '${call.id}' is a group call; scripts drive the person on a peer-to-peer call.`);
    this.scripts.add(call, steps);
    return call.person.steps.length;
  }

  /** The person presses keys now (control API); refused while nothing listens for them. */
  pressTones(id: string, keys: string, gapMs = DEFAULT_KEY_GAP_MS): Tone[] {
    const call = this.store.known(id);
    const tones = [...keys].map((k) => {
      const tone = digitToTone(k);
      if (!tone) throw badRequest(`tones: '${k}' is not a key (use 0-9, *, #, A-D).`);
      return tone;
    });
    if (tones.length === 0) throw badRequest('tones: at least one key is required.');
    this.store.requireState(call, 'press keys on', 'established');
    if (!this.canHearKeys(call)) throw conflict(`The bot has not subscribed to tones on call '${call.id}'.`);
    this.scripts.press(call, keys, gapMs);
    return tones;
  }

  private canHearKeys(call: CallRecord): boolean {
    return call.toneSubscribed || this.media.listensForKeys(call) || this.appMedia.listening(call);
  }

  /** A key reaches a subscribed bot as a `toneInfo` update, and the running media operation. */
  private hearKey(call: CallRecord, tone: Tone): void {
    call.tonesPressed.push(tone);
    // App-hosted media: the key is DTMF in the person's audio, for the bot's own detector.
    if (this.appMedia.press(call, tone)) return;
    if (call.toneSubscribed) {
      call.toneSequence += 1;
      this.notify.call(call, 'updated', {
        state: 'established',
        toneInfo: { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: call.toneSequence, tone },
      });
    }
    this.media.key(call, tone);
  }

  private speech(call: CallRecord, talking: boolean): void {
    call.person.speaking = talking;
    if (!this.appMedia.speech(call, talking)) this.media.speech(call, talking);
  }

  /** Someone without a script leaves a message of EMULATOR_RECORD_MS when a recording starts. */
  private defaultMessage(call: CallRecord): void {
    if (call.person.scripted || call.person.speaking) return;
    this.speech(call, true);
    after(call, this.options.timings.recordMs, () => this.speech(call, false));
  }

  // ---- media operations (service-hosted media) ----------------------------------------------

  playPrompt(id: string, body: PlayPromptRequest): Record<string, unknown> {
    const call = this.mediaCall(id, 'play prompts on');
    const op = this.store.newOperation(call, 'playPromptOperation', 'running', body.clientContext);
    this.media.playPrompt(call, op, body.prompts);
    return operationView(op);
  }

  recordResponse(id: string, body: RecordResponseRequest): Record<string, unknown> {
    const call = this.mediaCall(id, 'record a response on');
    const op = this.store.newOperation(call, 'recordOperation', 'running', body.clientContext);
    this.media.record(call, op, body);
    // A barge-in prompt listens for keys at once: a waiting `press` step may go now.
    this.scripts.resume(call);
    return operationView(op);
  }

  /** Completes at once; the running and queued media operations fail with 400/8508. */
  cancelMediaProcessing(id: string, body: ContextOnlyRequest): Record<string, unknown> {
    const call = this.store.live(id);
    this.store.requireState(call, 'cancel media processing on', 'established');
    const op = this.store.newOperation(call, 'cancelMediaProcessingOperation', 'completed', body.clientContext, DONE());
    this.media.cancelAll(call);
    return operationView(op);
  }

  subscribeToTone(id: string, body: ContextOnlyRequest): Record<string, unknown> {
    const call = this.mediaCall(id, 'subscribe to tones on');
    call.toneSubscribed = true;
    const op = this.store.newOperation(call, 'subscribeToToneOperation', 'completed', body.clientContext, DONE());
    this.scripts.resume(call);
    return operationView(op);
  }

  sendDtmfTones(id: string, body: SendDtmfTonesRequest): Record<string, unknown> {
    const call = this.store.live(id);
    this.store.requireState(call, 'send DTMF tones on', 'established');
    const op = this.store.newOperation(call, 'sendDtmfTonesOperation', 'running', body.clientContext);
    const gap = body.delayBetweenTonesMs ?? DEFAULT_DTMF_GAP_MS;
    after(call, gap * body.tones.length, () => {
      call.dtmfSent.push(...body.tones);
      this.store.finish(call, op, 'completed', DONE(), 'completedSuccessfully');
    });
    return operationView(op);
  }

  /** Server-side mute of the bot; group calls also get a roster update. */
  setMuted(id: string, muted: boolean, body: ContextOnlyRequest): Record<string, unknown> {
    const call = this.store.live(id);
    this.store.requireState(call, muted ? 'mute' : 'unmute', 'established');
    const bot = botParticipant(call);
    const type = muted ? 'muteParticipantOperation' : 'unmuteParticipantOperation';
    const op = this.store.newOperation(call, type, 'completed', body.clientContext, DONE());
    if (bot) {
      bot.serverMuted = muted;
      this.rosters.changed(call, [bot]);
    }
    return operationView(op);
  }

  /** Answered as `recordingStatus` (the control API) says: at once or later in a notification, completed or failed. */
  updateRecordingStatus(id: string, body: UpdateRecordingStatusRequest): Record<string, unknown> {
    const call = this.store.live(id);
    this.store.requireState(call, 'update the recording status of', 'establishing', 'established');
    const answer = this.recordingStatus.next();
    const type = 'updateRecordingStatusOperation';
    if (answer.delayMs === 0) {
      if (!answer.failure) this.applyRecordingStatus(call, body.status);
      return operationView(this.store.newOperation(call, type, answer.failure ? 'failed' : 'completed', body.clientContext, answer.failure ?? DONE()));
    }
    const op = this.store.newOperation(call, type, 'running', body.clientContext);
    after(
      call,
      answer.delayMs,
      () => {
        if (answer.failure) return this.store.finish(call, op, 'failed', answer.failure);
        this.applyRecordingStatus(call, body.status);
        this.store.finish(call, op, 'completed', DONE());
      },
      op,
    );
    return operationView(op);
  }

  /** Clients show the banner from the bot's `recordingInfo` in the roster. */
  private applyRecordingStatus(call: CallRecord, status: UpdateRecordingStatusRequest['status']): void {
    call.recordingStatus = status;
    const bot = botParticipant(call);
    if (!bot) return;
    bot.recordingStatus = status;
    this.rosters.changed(call, [bot]);
  }

  /** A finished recording, if the access token matches: its length and where the person spoke. */
  recording(operationId: string, accessToken: string): { durationMs: number; speech: { fromMs: number; toMs: number }[] } | undefined {
    for (const call of this.store.all()) {
      const op = call.operations.get(operationId);
      if (op?.type === 'recordOperation' && op.status === 'completed' && op.recordingAccessToken === accessToken) {
        const speech = (op.recording?.speech ?? []).map((s) => ({ fromMs: s.fromMs, toMs: s.toMs ?? s.fromMs }));
        return { durationMs: op.recordedMs ?? 0, speech };
      }
    }
    return undefined;
  }

  // ---- control-API views --------------------------------------------------------------------

  snapshot(id: string): Record<string, unknown> {
    const call = this.store.known(id);
    return {
      id: call.id,
      state: call.state,
      direction: call.direction,
      tenantId: call.tenantId,
      callbackUri: call.callbackUri,
      myParticipantId: call.myParticipantId,
      source: call.source,
      targets: call.targets,
      group: call.group,
      mediaConfigType: call.mediaConfig?.['@odata.type'] ?? null,
      toneSubscription: { subscribed: call.toneSubscribed, lastSequenceId: call.toneSequence },
      operations: [...call.operations.values()].map(operationView),
      mediaQueue: [...call.mediaQueue],
      promptsPlayed: call.promptsPlayed,
      tonesPressed: call.tonesPressed,
      dtmfSent: call.dtmfSent,
      recordingStatus: call.recordingStatus,
      ...(call.policy ? { policy: { policyId: call.policy.invite.policyId, recordedUsers: call.policy.recordedUsers, participantCapacity: call.participantCapacity ?? 1 } } : {}),
      botMuted: botParticipant(call)?.serverMuted ?? false,
      participants: [...call.participants.values()].map(({ id: pid, identity, serverMuted, onHold, isBot }) => ({ id: pid, identity, serverMuted, onHold, isBot })),
      person: {
        scripted: call.person.scripted,
        speaking: call.person.speaking,
        stepsDone: call.person.done,
        stepsLeft: call.person.steps,
        tonesDropped: call.person.tonesDropped,
      },
      resultInfo: call.resultInfo ?? null,
      createdAt: call.createdAt,
      endedAt: call.endedAt ?? null,
    };
  }

  /** What the media platform sent and heard on an app-hosted call (also after it ended). */
  mediaView(id: string): CallMediaView {
    const call = this.store.known(id);
    const view = this.appMedia.view(call);
    if (!view) throw notFound(`Call '${call.id}' has no app-hosted media stream.`);
    return view;
  }

  list(): Record<string, unknown>[] {
    return this.store.all().map((c) => ({ id: c.id, state: c.state, direction: c.direction, createdAt: c.createdAt }));
  }

  /** Cancels every timer; used when the emulator stops. */
  stop(): void {
    for (const call of this.store.all()) clearCallTimers(call);
    this.appMedia.stopAll();
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
      participants: new Map(),
      group: false,
      deltaRoster: false,
      rosterSequence: 0,
      person: newPerson(),
      recordingStatus: 'unknown',
      operations: new Map(),
      mediaQueue: [],
      timers: new Set(),
      promptsPlayed: [],
      tonesPressed: [],
      dtmfSent: [],
      createdAt: new Date().toISOString(),
    };
    this.rosters.addBot(call);
    this.store.add(call);
    return call;
  }

  private botIdentity(): Pick<IdentitySet, 'application'> {
    return { application: { id: this.options.botAppId, displayName: this.options.botDisplayName } };
  }

  private botAsTarget(): InvitationParticipantInfo {
    return { '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', ...this.botIdentity() } };
  }

  private botAsSource(): ParticipantInfo {
    return { '@odata.type': '#microsoft.graph.participantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', ...this.botIdentity() } };
  }

  private setState(call: CallRecord, state: CallRecord['state']): void {
    call.state = state;
    this.notify.call(call, 'updated', { state });
  }

  private establish(call: CallRecord): void {
    call.state = 'established';
    call.mediaAudio = 'active';
    this.notify.call(call, 'updated', { state: 'established', mediaState: mediaState('active') });
    this.rosters.changed(call, [...call.participants.values()]);
    this.armKeepAlive(call);
    this.appMedia.start(call);
    this.scripts.resume(call);
  }

  private armKeepAlive(call: CallRecord): void {
    cancelTimer(call, call.keepAliveTimer);
    call.keepAliveTimer = undefined;
    if (this.options.timings.keepAliveTimeoutMs <= 0) return;
    call.keepAliveTimer = after(call, this.options.timings.keepAliveTimeoutMs, () => this.terminate(call, ENDED.keepAliveTimeout()));
  }

  /** Ends a call: optional `terminating` update, then `deleted` with `terminated`; nothing follows it. */
  private terminate(call: CallRecord, result: WireResultInfo, announce = false): void {
    if (call.state === 'terminated') return;
    clearCallTimers(call);
    this.appMedia.stop(call);
    call.mediaQueue = [];
    call.person.steps = [];
    if (announce) this.setState(call, 'terminating');
    Object.assign(call, { state: 'terminated', resultInfo: result, endedAt: new Date().toISOString(), mediaAudio: undefined });
    this.notify.call(call, 'deleted', { id: call.id, state: 'terminated', resultInfo: result });
  }

  private mediaCall(id: string, action: string): CallRecord {
    const call = this.store.live(id);
    this.store.requireState(call, action, 'established');
    if (call.mediaConfig?.['@odata.type'] !== '#microsoft.graph.serviceHostedMediaConfig') {
      throw badRequest(`Cannot ${action} call '${call.id}': the action needs serviceHostedMediaConfig.`);
    }
    return call;
  }
}
