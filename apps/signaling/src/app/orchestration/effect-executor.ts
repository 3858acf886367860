import {
  answerRequest,
  appHostedMedia,
  mediaPrompt,
  redirectRequest,
  serviceHostedAudioAnswer,
  transferRequest,
  type CommsOperation,
} from '@switchboard/graph-models';
import { placeCallMedia, type CallMediaPlacer } from '../media-placement/place-media-effect';
import type { RecordingTokenSeal } from '../recordings/recording-token-seal';
import { storeRecordedMessage } from '../recordings/store-recording-effect';
import type { CallRecord, MediaEffect, OutboxAction } from './call-record';
import { mediaPromptId, recordingStatusAnsweredRequestId } from './effect-ids';
import {
  MediaCommandRefused,
  type CallControlPort,
  type EventPublisher,
  type FlowWebhookClient,
  type InputScheduler,
  type MediaSessionPort,
  type RecordingGrants,
  type RecordingStore,
} from './ports';

export interface EffectSettings {
  /** Where Graph sends this call's notifications once answered (the public URL of /api/calling). */
  callbackUri: string;
}

export interface EffectPorts {
  graph: CallControlPort;
  events: EventPublisher;
  inputs: InputScheduler;
  webhooks: FlowWebhookClient;
  recordings: RecordingStore;
  /** recording-compliance: the grants service-hosted recordings are made and stored under. */
  grants: RecordingGrants;
  /** Opens the access tokens the reducer sealed into store-recording items. */
  recordingTokens: Pick<RecordingTokenSeal, 'open'>;
  /** Places app-hosted calls on media pods; without it such calls are refused (no media pods configured). */
  media?: CallMediaPlacer;
  /** The media sessions of app-hosted calls on their pods (a flow's play, record, cancel there). */
  mediaSessions?: MediaSessionPort;
}

/** Turns an outbox action into the Graph request, publication or HTTP call it stands for. */
export class EffectExecutor {
  constructor(
    private readonly ports: EffectPorts,
    private readonly settings: EffectSettings,
  ) {}

  async execute(action: OutboxAction, record: CallRecord): Promise<void> {
    const { graph } = this.ports;
    const callId = record.callId;
    switch (action.kind) {
      case 'publish':
        return this.ports.events.publish(action.event);
      case 'schedule':
        return this.ports.inputs.schedule(callId, action.input);
      case 'flow-webhook': {
        const answer = await this.ports.webhooks.ask(action.url, action.payload, action.timeoutMs);
        return this.ports.inputs.schedule(callId, { kind: 'webhook-result', requestId: action.requestId, ...answer, ...(answer.error ? { error: answer.error.slice(0, 1000) } : {}) });
      }
      case 'store-recording':
        return storeRecordedMessage(this.ports, action, record);
      case 'start-grant':
        return this.ports.grants.start(callId);
      case 'stop-grant':
        return this.ports.grants.stop({ grantId: action.grantId, callId });
      case 'renew-grant':
        return this.ports.grants.renew({ grantId: action.grantId, callId });
      case 'place-media':
        return placeCallMedia(this.ports.media, this.ports.inputs, record);
      case 'answer': {
        const { callbackUri } = this.settings;
        const capacity = action.participantCapacity ? { participantCapacity: action.participantCapacity } : {};
        await graph.answer(callId, action.media ? answerRequest({ callbackUri, mediaConfig: appHostedMedia(action.media.blob), ...capacity }) : serviceHostedAudioAnswer(callbackUri));
        return;
      }
      case 'reject':
        await graph.reject(callId, { reason: action.reason });
        return;
      case 'playPrompt':
        await graph.playPrompt(callId, { clientContext: action.clientContext, prompts: action.prompts.map(mediaPrompt) });
        return;
      case 'subscribeToTone':
        await graph.subscribeToTone(callId, { clientContext: action.clientContext });
        return;
      case 'cancelMediaProcessing':
        await graph.cancelMediaProcessing(callId, { clientContext: action.clientContext });
        return;
      case 'recordResponse':
        await graph.recordResponse(callId, {
          clientContext: action.clientContext,
          ...(action.prompt ? { prompts: [mediaPrompt(action.prompt)] } : {}),
          bargeInAllowed: false,
          playBeep: action.beep,
          maxRecordDurationInSeconds: action.maxDurationSeconds,
          maxSilenceTimeoutInSeconds: action.maxSilenceSeconds,
          initialSilenceTimeoutInSeconds: action.initialSilenceSeconds,
          ...(action.stopTones.length ? { stopTones: action.stopTones } : {}),
        });
        return;
      case 'transfer':
        await graph.transfer(
          callId,
          transferRequest({ ...action.target, ...(action.replacesCallId ? { replacesCallId: action.replacesCallId } : {}) }, { clientContext: action.clientContext }),
        );
        return;
      case 'redirect':
        await graph.redirect(callId, redirectRequest(action.targets, { callbackUri: this.settings.callbackUri, ...(action.timeoutSeconds ? { timeoutSeconds: action.timeoutSeconds } : {}) }));
        return;
      case 'invite':
        await graph.inviteParticipants(callId, { participants: action.participants, clientContext: action.clientContext });
        return;
      case 'hangUp':
        await graph.hangUp(callId);
        return;
      case 'keepAlive':
        await graph.keepAlive(callId);
        return;
      case 'media-play':
      case 'media-record':
      case 'media-cancel':
        return this.onPod(action, record);
      case 'updateRecordingStatus': {
        const operation = await graph.updateRecordingStatus(callId, { status: action.status, clientContext: action.clientContext });
        return this.reportImmediateOutcome(record, action.clientContext, operation);
      }
    }
  }

  /**
   * A flow's media verb on the call's media session. A play of several prompts queues one pod prompt each (the last
   * carries the clientContext, so its end is the play's); a record's prompt is queued before the recording. A repeat
   * after a takeover finds its prompts already queued (`duplicate`), which counts as done.
   */
  private async onPod(action: MediaEffect, record: CallRecord): Promise<void> {
    const sessions = this.ports.mediaSessions;
    const media = record.media;
    if (!sessions || !media) throw new MediaCommandRefused(`call ${record.callId} has no media session to ${action.kind.slice('media-'.length)} on`);
    const { mediaCallId } = media;
    switch (action.kind) {
      case 'media-play': {
        const last = action.prompts.length - 1;
        for (const [i, uri] of action.prompts.entries()) {
          const id = i === last ? mediaPromptId(action.clientContext) : mediaPromptId(action.clientContext, i);
          await sessions.command(mediaCallId, 'play', { id, uri, ...(action.bargeIn ? { bargeIn: { keys: true } } : {}) });
        }
        return;
      }
      case 'media-record':
        if (action.prompt) await sessions.command(mediaCallId, 'play', { id: mediaPromptId(action.clientContext, 'prompt'), uri: action.prompt });
        return sessions.command(mediaCallId, 'record', {
          id: action.clientContext,
          maxDurationSeconds: action.maxDurationSeconds,
          maxSilenceSeconds: action.maxSilenceSeconds,
          initialSilenceSeconds: action.initialSilenceSeconds,
          ...(action.stopTones.length ? { stopKeys: action.stopTones } : {}),
          beep: action.beep,
        });
      case 'media-cancel':
        // Like Graph's cancelMediaProcessing: every prompt playing or queued, and a recording.
        return sessions.command(mediaCallId, 'cancel', {});
    }
  }

  /**
   * Graph answers updateRecordingStatus with the operation, usually `completed` at once; then no notification
   * follows (contract §1.6), so the answer goes to the call as an input and is applied like the notification would
   * be (the `operation-completed` event, a recording waiting for this grant). A `running` one waits for its notification.
   */
  private async reportImmediateOutcome(record: CallRecord, clientContext: string, operation: CommsOperation): Promise<void> {
    if (operation.status !== 'completed' && operation.status !== 'failed') return;
    await this.ports.inputs.schedule(record.callId, {
      kind: 'recording-status-answered',
      requestId: recordingStatusAnsweredRequestId(clientContext),
      clientContext,
      operationId: operation.id ?? '',
      status: operation.status,
      ...(operation.completionReason ? { completionReason: operation.completionReason } : {}),
      ...(operation.resultInfo ? { resultInfo: operation.resultInfo } : {}),
    });
  }
}
