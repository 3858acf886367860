import type { IvrCommand } from '@switchboard/ivr-engine';
import type { MediaEffect, MediaHosting, OutboxAction } from './call-record';
import { effectId, type EffectId } from './effect-ids';

/** What a flow command becomes in the outbox, keyed by an id that is unique per command. */
export interface PlannedEffect {
  id: EffectId;
  action: OutboxAction;
  clientContext?: string;
}

/**
 * Turns an engine command into the Graph request or platform action that carries it out. `disarmTimer` needs none:
 * the engine ignores a timer it no longer waits for. `emit` becomes events in the reducer.
 *
 * The media verbs (play, subscribeTones, cancelMedia, record) depend on where the call's media is: Graph's
 * service-hosted media requests, or the call's session on the media pod hosting it (app-hosted). There the pod's key
 * detector always runs, so `subscribeTones` needs nothing (undefined). Decided here, so the outbox says what is done.
 */
export function plannedEffect(command: Exclude<IvrCommand, { kind: 'emit' | 'disarmTimer' }>, callId: string, media: MediaHosting = 'serviceHosted'): PlannedEffect | undefined {
  const onPod = media === 'appHosted';
  switch (command.kind) {
    case 'play':
      return onPod
        ? pod(command.clientContext, { kind: 'media-play', prompts: command.prompts, bargeIn: command.bargeIn ?? false, clientContext: command.clientContext })
        : graph(command.clientContext, { kind: 'playPrompt', prompts: command.prompts, clientContext: command.clientContext });
    case 'subscribeTones':
      return onPod ? undefined : graph(command.clientContext, { kind: 'subscribeToTone', clientContext: command.clientContext });
    case 'cancelMedia':
      return onPod
        ? pod(command.clientContext, { kind: 'media-cancel', clientContext: command.clientContext })
        : graph(command.clientContext, { kind: 'cancelMediaProcessing', clientContext: command.clientContext });
    case 'record': {
      const { kind: _kind, ...options } = command;
      return onPod ? pod(command.clientContext, { kind: 'media-record', ...options }) : graph(command.clientContext, { kind: 'recordResponse', ...options });
    }
    case 'transfer':
      return graph(command.clientContext, { kind: 'transfer', target: command.target, clientContext: command.clientContext, ...(command.replacesCallId ? { replacesCallId: command.replacesCallId } : {}) });
    case 'invite':
      return graph(command.clientContext, { kind: 'invite', participants: command.participants, clientContext: command.clientContext });
    case 'redirect':
      return { id: effectId({ kind: 'redirect' }), action: { kind: 'redirect', targets: command.targets, ...(command.timeoutSeconds ? { timeoutSeconds: command.timeoutSeconds } : {}) } };
    case 'hangup':
      return { id: effectId({ kind: 'hangup' }), action: { kind: 'hangUp' } };
    case 'armTimer':
      return { id: effectId({ kind: 'timer', timerId: command.timerId }), action: { kind: 'schedule', input: { kind: 'timer', timerId: command.timerId, purpose: 'ivr', dueAt: command.dueAt } } };
    case 'webhook':
      return {
        id: effectId({ kind: 'flow-webhook', requestId: command.requestId }),
        action: { kind: 'flow-webhook', requestId: command.requestId, url: command.url, payload: command.payload, timeoutMs: command.timeoutMs },
      };
  }
  return assertNever(command, callId);
}

const graph = (clientContext: string, action: OutboxAction): PlannedEffect => ({ id: effectId({ kind: 'graph', clientContext }), action, clientContext });
const pod = (clientContext: string, action: MediaEffect): PlannedEffect => ({ id: effectId({ kind: 'media', clientContext }), action, clientContext });

function assertNever(command: never, callId: string): never {
  throw new Error(`call ${callId}: no effect for flow command ${JSON.stringify(command)}`);
}
