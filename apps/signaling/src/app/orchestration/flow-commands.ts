import type { IvrCommand } from '@switchboard/ivr-engine';
import type { OutboxAction } from './call-record';
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
 */
export function plannedEffect(command: Exclude<IvrCommand, { kind: 'emit' | 'disarmTimer' }>, callId: string): PlannedEffect {
  switch (command.kind) {
    case 'play':
      return graph(command.clientContext, { kind: 'playPrompt', prompts: command.prompts, clientContext: command.clientContext });
    case 'subscribeTones':
      return graph(command.clientContext, { kind: 'subscribeToTone', clientContext: command.clientContext });
    case 'cancelMedia':
      return graph(command.clientContext, { kind: 'cancelMediaProcessing', clientContext: command.clientContext });
    case 'record': {
      const { kind: _kind, ...options } = command;
      return graph(command.clientContext, { kind: 'recordResponse', ...options });
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

function assertNever(command: never, callId: string): never {
  throw new Error(`call ${callId}: no effect for flow command ${JSON.stringify(command)}`);
}
