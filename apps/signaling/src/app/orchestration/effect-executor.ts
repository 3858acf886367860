import type { CallRecord, OutboxAction } from './call-record';
import type { CallControlPort, EventPublisher, InputScheduler } from './ports';

export interface EffectSettings {
  /** Where Graph sends this call's notifications once answered (the public URL of /api/calling). */
  callbackUri: string;
  welcomePromptUri: string;
}

/** Turns an outbox action into the Graph request or event publication it stands for. */
export class EffectExecutor {
  constructor(
    private readonly graph: CallControlPort,
    private readonly events: EventPublisher,
    private readonly inputs: InputScheduler,
    private readonly settings: EffectSettings,
  ) {}

  async execute(action: OutboxAction, record: CallRecord): Promise<void> {
    switch (action.kind) {
      case 'publish':
        return this.events.publish(action.event);
      case 'arm-timer':
        return this.inputs.schedule(record.callId, action.timer);
      case 'keepAlive':
        await this.graph.keepAlive(record.callId);
        return;
      case 'answer':
        await this.graph.answer(record.callId, {
          callbackUri: this.settings.callbackUri,
          acceptedModalities: ['audio'],
          mediaConfig: {
            '@odata.type': '#microsoft.graph.serviceHostedMediaConfig',
            preFetchMedia: [{ uri: this.settings.welcomePromptUri, resourceId: 'welcome' }],
          },
        });
        return;
      case 'playPrompt':
        await this.graph.playPrompt(record.callId, {
          clientContext: action.clientContext,
          prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: action.promptUri, resourceId: 'welcome' } }],
        });
        return;
      case 'subscribeToTone':
        await this.graph.subscribeToTone(record.callId, { clientContext: action.clientContext });
        return;
    }
  }
}
