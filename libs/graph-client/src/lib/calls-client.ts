import {
  answerRequestSchema,
  callSchema,
  changeScreenSharingRoleRequestSchema,
  commsOperationSchema,
  contextOnlyRequestSchema,
  createCallRequestSchema,
  inviteParticipantsRequestSchema,
  participantSchema,
  playPromptRequestSchema,
  recordResponseRequestSchema,
  redirectRequestSchema,
  rejectRequestSchema,
  sendDtmfTonesRequestSchema,
  startHoldMusicRequestSchema,
  transferRequestSchema,
  updateRecordingStatusRequestSchema,
  type AnswerRequest,
  type Call,
  type CommsOperation,
  type ContextOnlyRequest,
  type CreateCallRequest,
  type InviteParticipantsRequest,
  type Participant,
  type PlayPromptRequest,
  type RecordResponseRequest,
  type RedirectRequest,
  type RejectRequest,
  type SendDtmfTonesRequest,
  type StartHoldMusicRequest,
  type TransferRequest,
  type UpdateRecordingStatusRequest,
} from '@switchboard/graph-models';
import { z } from 'zod';
import { GraphResponseError } from './errors';
import type { GraphHttp, GraphResponse } from './http';
import { parseResponse, validateBody } from './parse';

const callsRoute = '/communications/calls';
const callRoute = `${callsRoute}/{callId}`;
const participantsRoute = `${callRoute}/participants`;
const participantRoute = `${participantsRoute}/{participantId}`;

const participantListSchema = z.object({ value: z.array(participantSchema), '@odata.nextLink': z.string().optional() });

/** A roster is at most a few hundred people; a link chain longer than this is a server fault, not a roster. */
const MAX_PARTICIPANT_PAGES = 50;

type Ids = { callId: string; participantId?: string };

/**
 * The `/communications/calls` actions (contract §3). Bodies are checked against graph-models before sending;
 * actions Graph answers with an operation return it parsed (`kind`, `status`; see `isFinalStatus`).
 */
export class CallsClient {
  constructor(private readonly http: GraphHttp) {}

  /** Place a call or join a meeting (201 + the call in `establishing`). */
  async createCall(body: CreateCallRequest): Promise<Call> {
    validateBody(createCallRequestSchema, body, 'createCall');
    return parseResponse(callSchema, await this.http.send({ method: 'POST', route: callsRoute, body }));
  }

  async getCall(callId: string): Promise<Call> {
    return parseResponse(callSchema, await this.http.send({ method: 'GET', route: callRoute, params: { callId } }));
  }

  /** Ends the bot's leg (204); a group call goes on without it. */
  async hangUp(callId: string): Promise<void> {
    await this.http.send({ method: 'DELETE', route: callRoute, params: { callId } });
  }

  /** Needed at least every 45 min; a 404 means the call has already ended. */
  async keepAlive(callId: string): Promise<void> {
    await this.http.send({ method: 'POST', route: `${callRoute}/keepAlive`, params: { callId } });
  }

  answer(callId: string, body: AnswerRequest): Promise<void> {
    return this.accepted({ callId }, 'answer', answerRequestSchema, body);
  }

  reject(callId: string, body: RejectRequest = {}): Promise<void> {
    return this.accepted({ callId }, 'reject', rejectRequestSchema, body);
  }

  redirect(callId: string, body: RedirectRequest): Promise<void> {
    return this.accepted({ callId }, 'redirect', redirectRequestSchema, body);
  }

  transfer(callId: string, body: TransferRequest): Promise<void> {
    return this.accepted({ callId }, 'transfer', transferRequestSchema, body);
  }

  playPrompt(callId: string, body: PlayPromptRequest): Promise<CommsOperation> {
    return this.operation({ callId }, 'playPrompt', playPromptRequestSchema, body);
  }

  recordResponse(callId: string, body: RecordResponseRequest): Promise<CommsOperation> {
    return this.operation({ callId }, 'recordResponse', recordResponseRequestSchema, body);
  }

  /** Clears running and queued prompts/recordings; the tone subscription stays. */
  cancelMediaProcessing(callId: string, body: ContextOnlyRequest = {}): Promise<CommsOperation> {
    return this.operation({ callId }, 'cancelMediaProcessing', contextOnlyRequestSchema, body);
  }

  subscribeToTone(callId: string, body: ContextOnlyRequest = {}): Promise<CommsOperation> {
    return this.operation({ callId }, 'subscribeToTone', contextOnlyRequestSchema, body);
  }

  sendDtmfTones(callId: string, body: SendDtmfTonesRequest): Promise<CommsOperation> {
    return this.operation({ callId }, 'sendDtmfTones', sendDtmfTonesRequestSchema, body);
  }

  mute(callId: string, body: ContextOnlyRequest = {}): Promise<CommsOperation> {
    return this.operation({ callId }, 'mute', contextOnlyRequestSchema, body);
  }

  unmute(callId: string, body: ContextOnlyRequest = {}): Promise<CommsOperation> {
    return this.operation({ callId }, 'unmute', contextOnlyRequestSchema, body);
  }

  updateRecordingStatus(callId: string, body: UpdateRecordingStatusRequest): Promise<CommsOperation> {
    return this.operation({ callId }, 'updateRecordingStatus', updateRecordingStatusRequestSchema, body);
  }

  changeScreenSharingRole(callId: string, body: z.input<typeof changeScreenSharingRoleRequestSchema>): Promise<void> {
    return this.accepted({ callId }, 'changeScreenSharingRole', changeScreenSharingRoleRequestSchema, body);
  }

  /** Every participant, following `@odata.nextLink` across pages. */
  async listParticipants(callId: string): Promise<Participant[]> {
    const participants: Participant[] = [];
    let nextLink: string | undefined;
    for (let page = 1; ; page++) {
      const response = await this.http.send({ method: 'GET', route: participantsRoute, params: { callId }, ...(nextLink ? { nextLink } : {}) });
      const list = parseResponse(participantListSchema, response);
      participants.push(...list.value);
      nextLink = list['@odata.nextLink'];
      if (!nextLink) return participants;
      if (page >= MAX_PARTICIPANT_PAGES) throw new GraphResponseError(response.request, response.status, `more than ${MAX_PARTICIPANT_PAGES} pages of participants`);
    }
  }

  inviteParticipants(callId: string, body: InviteParticipantsRequest): Promise<CommsOperation> {
    return this.operation({ callId }, 'invite', inviteParticipantsRequestSchema, body, participantsRoute);
  }

  muteParticipant(callId: string, participantId: string, body: ContextOnlyRequest = {}): Promise<CommsOperation> {
    return this.operation({ callId, participantId }, 'mute', contextOnlyRequestSchema, body, participantRoute);
  }

  /** 204; also cancels a pending invite of that participant. */
  async removeParticipant(callId: string, participantId: string): Promise<void> {
    await this.http.send({ method: 'DELETE', route: participantRoute, params: { callId, participantId } });
  }

  startHoldMusic(callId: string, participantId: string, body: StartHoldMusicRequest = {}): Promise<CommsOperation> {
    return this.operation({ callId, participantId }, 'startHoldMusic', startHoldMusicRequestSchema, body, participantRoute);
  }

  stopHoldMusic(callId: string, participantId: string, body: ContextOnlyRequest = {}): Promise<CommsOperation> {
    return this.operation({ callId, participantId }, 'stopHoldMusic', contextOnlyRequestSchema, body, participantRoute);
  }

  /** An action Graph acknowledges with 202 (or 200) and reports on through notifications. */
  private async accepted(ids: Ids, action: string, schema: z.ZodType, body: unknown): Promise<void> {
    await this.post(ids, action, schema, body, callRoute);
  }

  private async operation(ids: Ids, action: string, schema: z.ZodType, body: unknown, base = callRoute): Promise<CommsOperation> {
    return parseResponse(commsOperationSchema, await this.post(ids, action, schema, body, base));
  }

  private post(ids: Ids, action: string, schema: z.ZodType, body: unknown, base: string): Promise<GraphResponse> {
    validateBody(schema, body, action);
    return this.http.send({ method: 'POST', route: `${base}/${action}`, params: { ...ids }, body });
  }
}
