import type { JetStreamClient } from 'nats';
import type { MediaHosting, natsNames, RecordingStatusValue } from '@switchboard/nats-contracts';
import type { CallFacts, SignalingCommands } from './grant-ports';

/**
 * Signaling as recording-compliance sees it: calls it knows, and status requests it takes and answers with call
 * events on the real events stream, the way signaling's outbox does (the collaborator faked in this spec).
 */
export class FakeSignaling implements SignalingCommands {
  readonly calls = new Map<string, CallFacts>();
  readonly requests: { callId: string; status: RecordingStatusValue; clientContext: string }[] = [];
  /** How Graph answers `recording`: at once, later (the test settles it), or failed. */
  graphAnswer: 'completed' | 'later' | 'failed' = 'completed';
  /** Calls whose status requests signaling takes but does not answer until the promise settles. */
  readonly unanswered = new Map<string, Promise<void>>();
  private operation = 0;

  constructor(
    private readonly js: JetStreamClient,
    private readonly names: ReturnType<typeof natsNames>,
  ) {}

  async call(callId: string): Promise<CallFacts | undefined> {
    return this.calls.get(callId);
  }

  async updateRecordingStatus(callId: string, status: RecordingStatusValue, clientContext: string): Promise<void> {
    this.requests.push({ callId, status, clientContext });
    await this.unanswered.get(callId);
    if (status !== 'recording' || this.graphAnswer !== 'later') await this.report(callId, clientContext, status === 'recording' && this.graphAnswer === 'failed' ? 'failed' : 'completed');
  }

  readonly answered: { callId: string; participantCapacity: number; media: MediaHosting }[] = [];
  readonly hungUp: string[] = [];

  async answer(callId: string, participantCapacity: number, media: MediaHosting): Promise<void> {
    this.answered.push({ callId, participantCapacity, media });
  }

  async hangUp(callId: string): Promise<void> {
    this.hungUp.push(callId);
  }

  statuses(callId: string): RecordingStatusValue[] {
    return this.requests.filter((r) => r.callId === callId).map((r) => r.status);
  }

  /** Graph's answer for a status request, as signaling publishes it. */
  async report(callId: string, clientContext: string, status: 'completed' | 'failed'): Promise<void> {
    this.operation += 1;
    const event = {
      type: 'operation-completed',
      eventId: `${callId}:recording-status:${clientContext}`,
      callId,
      tenantId: 'tenant-1',
      occurredAt: new Date().toISOString(),
      operationId: `op-${this.operation}`,
      operationKind: 'updateRecordingStatusOperation',
      status,
      clientContext,
      resultInfo: status === 'completed' ? { code: 200, subcode: 0 } : { code: 500, subcode: 9001, message: 'recording status could not be set' },
    };
    await this.js.publish(this.names.eventSubject('operation-completed'), JSON.stringify(event), { msgID: event.eventId });
  }

  async establish(callId: string): Promise<void> {
    const event = { type: 'established', eventId: `${callId}:2:established`, callId, tenantId: this.calls.get(callId)?.tenantId ?? 'tenant-1', occurredAt: new Date().toISOString() };
    await this.js.publish(this.names.eventSubject('established'), JSON.stringify(event), { msgID: event.eventId });
  }

  async end(callId: string): Promise<void> {
    const event = { type: 'terminated', eventId: `${callId}:99:terminated`, callId, tenantId: 'tenant-1', occurredAt: new Date().toISOString() };
    await this.js.publish(this.names.eventSubject('terminated'), JSON.stringify(event), { msgID: event.eventId });
  }
}
