import type { CallsClient } from '@switchboard/graph-client';
import { randomUUID } from 'node:crypto';
import { answerRequest, appHostedMedia, mediaPrompt, redirectRequest, transferRequest, type CallState, type CommsOperation } from '@switchboard/graph-models';
import type {
  CallActionName,
  callActionBodySchemas,
  CallReadAction,
  ParticipantActionName,
  participantActionBodySchemas,
  PlaceCallBody,
} from '@switchboard/nats-contracts';
import type { z } from 'zod';
import type { MediaCallDirectory } from '@switchboard/jetstream';
import { NoMediaPodAvailable, type MediaPlacement } from '../media-placement/media-placer';
import type { CallMediaPlacer } from '../media-placement/place-media-effect';
import { newOutgoingRecord, type CallHandler, type CallRecord } from '../orchestration/call-record';
import type { InputScheduler } from '../orchestration/ports';
import { RevisionConflict, type StoredCall } from '../orchestration/call-state-store';
import { failure, fromGraph } from '@switchboard/api-auth';
import { callNotFound, wrongState } from './call-control-failure';
import { callHistory, callView } from './call-view';
import { callTenant, createCallRequest, invitationFor, partyOf } from './graph-requests';

type CallBodies = { [K in CallActionName]: z.infer<(typeof callActionBodySchemas)[K]> };
type ParticipantBodies = { [K in ParticipantActionName]: z.infer<(typeof participantActionBodySchemas)[K]> };

/** A validated command: the action, the ids from the path or payload, and the parsed body. */
export type CallCommand =
  | { action: 'place'; body: PlaceCallBody }
  | { [K in CallReadAction]: { action: K; callId: string; body: Record<string, never> } }[CallReadAction]
  | { [K in CallActionName]: { action: K; callId: string; body: CallBodies[K] } }[CallActionName]
  | { [K in ParticipantActionName]: { action: K; callId: string; participantId: string; body: ParticipantBodies[K] } }[ParticipantActionName];

/** The answer to a command that was carried out: HTTP status and JSON body (the NATS reply's `result`). */
export interface CommandResult {
  status: number;
  body: unknown;
}

export interface CommandContext {
  /** Who asked: the token's client for REST, the NATS transport for commands. */
  subject: string;
  requestId: string;
}

/** The parts of the call-state store the API uses. */
export interface CallRecords {
  get(callId: string): Promise<StoredCall | undefined>;
  write(record: CallRecord, revision: number | undefined): Promise<number>;
  /** Before Graph is asked for a call: its notifications may come before its record (see `CallStateStore`). */
  markPlacement(): Promise<void>;
}

/** The Graph actions the API uses (the graph client's CallsClient). */
export type CallsApi = Pick<
  CallsClient,
  | 'createCall'
  | 'answer'
  | 'reject'
  | 'redirect'
  | 'transfer'
  | 'hangUp'
  | 'mute'
  | 'unmute'
  | 'listParticipants'
  | 'inviteParticipants'
  | 'muteParticipant'
  | 'removeParticipant'
  | 'startHoldMusic'
  | 'stopHoldMusic'
  | 'playPrompt'
  | 'recordResponse'
  | 'sendDtmfTones'
  | 'cancelMediaProcessing'
>;

export interface CallControlDeps {
  records: CallRecords;
  graph: CallsApi;
  flows: { flowIds: string[]; flow(id: string): unknown };
  /** The public URL of /api/calling (Graph's callbackUri) and the tenant calls are placed in by default. */
  settings: { callbackUri: string; tenantId: string };
  /** The calls' inputs stream: commands the orchestrator carries out through a call's outbox (exactly once per cause). */
  inputs: InputScheduler;
  /** App-hosted media: placement on the media pods, and which call a media call id is (for the pods' events). */
  media?: { placer: CallMediaPlacer; calls?: Pick<MediaCallDirectory, 'remember'> };
  now?: () => Date;
}

interface StateRule {
  allows: (state: CallState) => boolean;
  needs: string;
}
const anyState: StateRule = { allows: () => true, needs: 'any state' };
const incomingOnly: StateRule = { allows: (s) => s === 'incoming', needs: 'state incoming' };
const establishedOnly: StateRule = { allows: (s) => s === 'established', needs: 'state established' };
const notTerminated: StateRule = { allows: (s) => s !== 'terminated', needs: 'a call that has not terminated' };

/** Deciding an incoming call is the orchestrator's job unless routing handed the call to an app. */
const appDecisions: ReadonlySet<string> = new Set(['answer', 'reject', 'redirect']);

function stateRule(action: Exclude<CallCommand['action'], 'place'>): StateRule {
  if (action === 'get' || action === 'history') return anyState;
  if (appDecisions.has(action)) return incomingOnly;
  if (action === 'hang-up') return notTerminated;
  return establishedOnly;
}

const accepted = (callId: string, extra: Record<string, unknown> = {}): CommandResult => ({ status: 202, body: { callId, ...extra, status: 'accepted' } });

/** An operation as the API shows it: never the recording access token Graph may attach. */
const operationResult = (callId: string, op: CommsOperation): CommandResult => ({
  status: 200,
  body: {
    callId,
    operation: {
      id: op.id,
      kind: op.kind,
      status: op.status,
      ...(op.clientContext ? { clientContext: op.clientContext } : {}),
      ...(op.resultInfo ? { resultInfo: op.resultInfo } : {}),
    },
  },
});

/**
 * Carries out call-control commands: checks the stored call (404 unknown, 409 wrong state), then makes the Graph
 * request. Placing a call also writes the call's record. Refusals are thrown as `ApiFailure`s.
 */
export class CallControlService {
  private readonly now: () => Date;

  constructor(private readonly deps: CallControlDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async execute(command: CallCommand, context: CommandContext): Promise<CommandResult> {
    if (command.action === 'place') return this.place(command.body, context);
    const stored = await this.deps.records.get(command.callId);
    if (!stored) throw callNotFound(command.callId);
    const { record } = stored;
    const rule = stateRule(command.action);
    if (!rule.allows(record.state)) throw wrongState(record.callId, command.action, record.state, rule.needs);
    if (appDecisions.has(command.action) && record.handler.kind !== 'app') {
      throw failure(409, 'HandledByFlow', `${command.action} is not possible: call ${record.callId} is handled by flow "${record.handler.flowId}", which decides it`);
    }
    if (command.action === 'get') return { status: 200, body: callView(record) };
    if (command.action === 'history') return { status: 200, body: callHistory(record) };
    if (command.action === 'update-recording-status') return this.updateRecordingStatus(record.callId, command.body);
    try {
      return await this.callGraph(command, record);
    } catch (error) {
      throw fromGraph(error);
    }
  }

  private async place(body: PlaceCallBody, context: CommandContext): Promise<CommandResult> {
    if (body.flow !== undefined && !this.deps.flows.flow(body.flow)) {
      throw failure(400, 'UnknownFlow', `invalid body: flow: no flow "${body.flow}" is loaded (known: ${this.deps.flows.flowIds.join(', ') || 'none'})`);
    }
    const appHosted = body.media === 'appHosted';
    const handler: CallHandler = {
      ...(body.flow !== undefined ? { kind: 'flow' as const, flowId: body.flow } : { kind: 'app' as const, app: body.app ?? context.subject }),
      ...(appHosted ? { media: 'appHosted' as const } : {}),
    };
    const tenantId = callTenant(body, this.deps.settings.tenantId);
    // Graph names the call only once it is created, so the pod knows it by an id of ours, kept in the record.
    const group = body.meeting !== undefined || (body.targets?.length ?? 0) > 1;
    const placement = appHosted ? await this.placeMedia(randomUUID(), tenantId, { group }) : undefined;
    await this.deps.records.markPlacement();
    let call;
    try {
      const settings = { callbackUri: this.deps.settings.callbackUri, tenantId, ...(placement ? { mediaConfig: appHostedMedia(placement.blob) } : {}) };
      call = await this.deps.graph.createCall(createCallRequest(body, settings));
    } catch (error) {
      throw fromGraph(error);
    }
    if (!call.id) throw failure(502, 'GraphUnavailable', 'Graph accepted the call but did not say its id');
    const callId = call.id;
    // Before the record: the pod's first event (session-started) follows the call's establishment at the earliest.
    if (placement) await this.deps.media?.calls?.remember(placement.mediaCallId, callId);
    const target = body.target ?? body.targets?.[0];
    const record = newOutgoingRecord({
      callId,
      tenantId,
      handler,
      ...(target ? { target: partyOf(target) } : {}),
      placedBy: { subject: context.subject, requestId: context.requestId },
      ...(placement ? { media: { pod: placement.pod, mediaCallId: placement.mediaCallId } } : {}),
      now: this.now(),
    });
    if (call.myParticipantId) record.myParticipantId = call.myParticipantId;
    try {
      await this.deps.records.write(record, undefined);
    } catch (error) {
      // Graph's notifications never create a record for an outgoing call, so an existing one is this same call.
      if (!(error instanceof RevisionConflict)) throw error;
    }
    // The bot's own participant id lets a client find the bot in the roster (e.g. waiting in a meeting's lobby).
    return { status: 201, body: { callId, state: record.state, ...(record.myParticipantId ? { myParticipantId: record.myParticipantId } : {}) } };
  }

  /**
   * Not a direct Graph request: the status goes through the call's outbox, decided once per clientContext, and its
   * outcome comes back as an `operation-completed` (or `effect-failed`) event. The caller never waits on Graph here,
   * and signaling never waits on the caller.
   */
  private async updateRecordingStatus(callId: string, body: CallBodies['update-recording-status']): Promise<CommandResult> {
    const { status, clientContext } = body;
    await this.deps.inputs.schedule(callId, { kind: 'recording-status', requestId: `recording-status:${clientContext}`, status, clientContext });
    return accepted(callId, { recordingStatus: status, clientContext });
  }

  /** Prepares the call on a media pod; none available is a 503 the caller can act on (reject, retry, fall back). */
  private async placeMedia(mediaCallId: string, tenantId: string, options: { group?: boolean } = {}): Promise<MediaPlacement> {
    const placer = this.deps.media?.placer;
    try {
      if (!placer) throw new NoMediaPodAvailable('app-hosted media is not configured on this deployment');
      return await placer.place(mediaCallId, tenantId, options);
    } catch (error) {
      if (error instanceof NoMediaPodAvailable) throw failure(503, 'NoMediaPodAvailable', `app-hosted media: ${error.message}`);
      throw error;
    }
  }

  /**
   * An app-hosted answer: the call is placed here, and the placement goes to the call as an input, so the
   * orchestrator records the pod and answers with its blob exactly once (as for a call a flow answers).
   */
  private async answerAppHosted(record: CallRecord, participantCapacity?: number): Promise<CommandResult> {
    if (record.media) throw failure(409, 'AlreadyAnswered', `call ${record.callId} is already placed on media pod ${record.media.pod}`);
    const placement = await this.placeMedia(record.callId, record.tenantId);
    await this.deps.inputs.schedule(record.callId, { kind: 'media-placed', requestId: 'media-placed', ...placement, ...(participantCapacity ? { participantCapacity } : {}) });
    return accepted(record.callId, { pod: placement.pod });
  }

  private async callGraph(command: Exclude<CallCommand, { action: 'place' | CallReadAction | 'update-recording-status' }>, record: CallRecord): Promise<CommandResult> {
    const { graph, settings } = this.deps;
    const { callId } = command;
    switch (command.action) {
      case 'answer': {
        const { media, ...answer } = command.body;
        if ((media ?? record.handler.media) === 'appHosted') return this.answerAppHosted(record, answer.participantCapacity);
        await graph.answer(callId, answerRequest({ callbackUri: settings.callbackUri, ...answer }));
        return accepted(callId);
      }
      case 'reject':
        await graph.reject(callId, command.body);
        return accepted(callId);
      case 'redirect':
        await graph.redirect(
          callId,
          redirectRequest(command.body.targets.map((t) => invitationFor(t)), { callbackUri: settings.callbackUri, ...(command.body.timeout ? { timeoutSeconds: command.body.timeout } : {}) }),
        );
        return accepted(callId);
      case 'transfer': {
        const { target, replacesCallId, clientContext } = command.body;
        await graph.transfer(callId, transferRequest(invitationFor(target, replacesCallId), clientContext ? { clientContext } : {}));
        return accepted(callId);
      }
      case 'hang-up':
        await graph.hangUp(callId);
        return accepted(callId);
      case 'mute':
        return operationResult(callId, await graph.mute(callId, command.body));
      case 'unmute':
        return operationResult(callId, await graph.unmute(callId, command.body));
      case 'list-participants':
        return { status: 200, body: { callId, participants: await graph.listParticipants(callId) } };
      case 'invite-participants': {
        const { participants, replacesCallId, clientContext } = command.body;
        const invitations = participants.map((p) => invitationFor(p, replacesCallId));
        return operationResult(callId, await graph.inviteParticipants(callId, { participants: invitations, ...(clientContext ? { clientContext } : {}) }));
      }
      case 'play-prompt': {
        const { prompts, clientContext } = command.body;
        return operationResult(callId, await graph.playPrompt(callId, { prompts: prompts.map(mediaPrompt), ...(clientContext ? { clientContext } : {}) }));
      }
      case 'record': {
        const { prompt, ...options } = command.body;
        return operationResult(callId, await graph.recordResponse(callId, { ...options, ...(prompt ? { prompts: [mediaPrompt(prompt)] } : {}) }));
      }
      case 'send-dtmf':
        return operationResult(callId, await graph.sendDtmfTones(callId, command.body));
      case 'cancel-media':
        return operationResult(callId, await graph.cancelMediaProcessing(callId, command.body));
      case 'mute-participant':
        return operationResult(callId, await graph.muteParticipant(callId, command.participantId, command.body));
      case 'remove-participant':
        await graph.removeParticipant(callId, command.participantId);
        return accepted(callId, { participantId: command.participantId });
      case 'hold-music': {
        const { action, prompt, clientContext } = command.body;
        const context = clientContext ? { clientContext } : {};
        const op =
          action === 'start'
            ? await graph.startHoldMusic(callId, command.participantId, { ...context, ...(prompt ? { customPrompt: mediaPrompt(prompt) } : {}) })
            : await graph.stopHoldMusic(callId, command.participantId, context);
        return operationResult(callId, op);
      }
    }
  }
}
