import type { NatsConnection } from 'nats';
import { failure } from '@switchboard/api-auth';
import { callCommandReplySchema, jsonOrUndefined, type MediaHosting, type NatsNames, type RecordingStatusValue } from '@switchboard/nats-contracts';
import type { CallFacts, SignalingCommands } from './grant-ports';

/** signaling's name for this service as the handler of policy invitations (apps/signaling flows/policy-recording.ts). */
const COMPLIANCE_APP = 'recording-compliance';

const encoder = new TextEncoder();

/** Signaling's call-control commands over NATS request/reply (`calls.v1.commands.<action>`). */
export class NatsSignalingCommands implements SignalingCommands {
  constructor(
    private readonly nc: NatsConnection,
    private readonly names: NatsNames,
    private readonly timeoutMs = 5_000,
  ) {}

  async call(callId: string): Promise<CallFacts | undefined> {
    const reply = await this.request('get', { callId });
    if (!reply.ok) {
      if (reply.status === 404) return undefined;
      throw failure(reply.status, reply.code, reply.message);
    }
    const call = reply.result as { callId: string; tenantId?: string; state: string; handler?: { kind?: string; app?: string } };
    const policyRecorded = call.handler?.kind === 'app' && call.handler.app === COMPLIANCE_APP;
    return { callId: call.callId, state: call.state, policyRecorded, ...(call.tenantId ? { tenantId: call.tenantId } : {}) };
  }

  async updateRecordingStatus(callId: string, status: RecordingStatusValue, clientContext: string): Promise<void> {
    const reply = await this.request('update-recording-status', { callId, status, clientContext });
    if (!reply.ok) throw failure(reply.status, reply.code, reply.message);
  }

  async answer(callId: string, participantCapacity: number, media: MediaHosting): Promise<void> {
    const reply = await this.request('answer', { callId, participantCapacity, media, idempotencyKey: `compliance-answer:${callId}` });
    if (!reply.ok) throw failure(reply.status, reply.code, reply.message);
  }

  async hangUp(callId: string): Promise<void> {
    const reply = await this.request('hang-up', { callId, idempotencyKey: `compliance-leave:${callId}` });
    if (!reply.ok) throw failure(reply.status, reply.code, reply.message);
  }

  private async request(action: string, payload: Record<string, unknown>) {
    let msg;
    try {
      msg = await this.nc.request(this.names.commandSubject(action), encoder.encode(JSON.stringify(payload)), { timeout: this.timeoutMs });
    } catch (error) {
      throw failure(503, 'SignalingUnavailable', `signaling did not answer ${action}: ${(error as Error).message}`);
    }
    const reply = callCommandReplySchema.safeParse(jsonOrUndefined(msg.data));
    if (!reply.success) throw failure(502, 'SignalingFailed', `signaling could not carry out ${action}`);
    return reply.data;
  }
}
