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
import type { CallRecord, OutboxAction } from './call-record';
import { recordingStatusAnsweredRequestId } from './effect-ids';
import type { CallControlPort, EventPublisher, FlowWebhookClient, InputScheduler, RecordingGrants, RecordingStore } from './ports';

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
        await graph.answer(callId, action.media ? answerRequest({ callbackUri, mediaConfig: appHostedMedia(action.media.blob) }) : serviceHostedAudioAnswer(callbackUri));
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
      case 'updateRecordingStatus': {
        const operation = await graph.updateRecordingStatus(callId, { status: action.status, clientContext: action.clientContext });
        return this.reportImmediateOutcome(record, action.clientContext, operation);
      }
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
