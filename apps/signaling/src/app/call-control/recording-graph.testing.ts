import { randomUUID } from 'node:crypto';
import { GraphError } from '@switchboard/graph-client';
import type { CallsApi } from './call-control.service';

type Method = keyof CallsApi;

const operations: Partial<Record<Method, string>> = {
  mute: 'muteParticipantOperation',
  unmute: 'unmuteParticipantOperation',
  inviteParticipants: 'inviteParticipantsOperation',
  muteParticipant: 'muteParticipantOperation',
  startHoldMusic: 'startHoldMusicOperation',
  stopHoldMusic: 'stopHoldMusicOperation',
  playPrompt: 'playPromptOperation',
  recordResponse: 'recordOperation',
  sendDtmfTones: 'sendDtmfTonesOperation',
  cancelMediaProcessing: 'cancelMediaProcessingOperation',
};

/** Graph's calls API faked for tests: records every request, answers as Graph would, or fails on demand. */
export class RecordingGraph {
  readonly requests: { method: Method; args: unknown[] }[] = [];
  private readonly failures: { method: Method; error: Error }[] = [];

  readonly calls = new Proxy({} as CallsApi, {
    get: (_target, method: string) => (...args: unknown[]) => this.answer(method as Method, args),
  });

  /** The next request to `method` fails as Graph would have answered. */
  failNext(method: Method, status: number, code: string, message: string): void {
    const error = new GraphError({ status, code, graphMessage: message, method: 'POST', path: `/communications/calls/x/${method}`, clientRequestId: randomUUID() });
    this.failures.push({ method, error });
  }

  count(method?: Method): number {
    return method ? this.requests.filter((r) => r.method === method).length : this.requests.length;
  }

  private async answer(method: Method, args: unknown[]): Promise<unknown> {
    const failure = this.failures.findIndex((f) => f.method === method);
    if (failure >= 0) throw this.failures.splice(failure, 1)[0].error;
    this.requests.push({ method, args });
    if (method === 'createCall') return { id: randomUUID(), state: 'establishing', myParticipantId: randomUUID() };
    if (method === 'listParticipants') return [{ id: 'p-1' }];
    const kind = operations[method];
    return kind ? { '@odata.type': `#microsoft.graph.${kind}`, id: randomUUID(), status: 'running', kind, recordingAccessToken: 'secret-token' } : undefined;
  }
}
