import type { NatsConnection } from 'nats';
import { callCommandReplySchema, type NatsNames } from '@switchboard/nats-contracts';
import type { JoinRecord } from './join-record';

/** What signaling answered a command: the result, or its refusal with the status the REST API would give. */
export type CommandAnswer = { ok: true; result: Record<string, unknown> } | { ok: false; status: number; code: string; message: string };

const COMMAND_TIMEOUT_MS = 15_000;

/**
 * Signaling's call-control commands over NATS request/reply: signaling alone places and ends calls. No responder, a
 * timeout or an unreadable reply count as 503 (try again later).
 */
export class SignalingCalls {
  constructor(
    private readonly nc: NatsConnection,
    private readonly names: NatsNames,
    private readonly timeoutMs = COMMAND_TIMEOUT_MS,
  ) {}

  /**
   * Places the join's call. The idempotency key is the join and its attempt: whichever replica sends it, and however
   * often, signaling places one call per attempt and answers repeats with the first answer.
   */
  place(record: JoinRecord): Promise<CommandAnswer> {
    const { joinUrl, meetingId, passcode, token, as, displayName, media, modalities } = record.request;
    const meeting = { ...(joinUrl !== undefined ? { joinUrl } : {}), ...(meetingId !== undefined ? { meetingId } : {}), ...(passcode !== undefined ? { passcode } : {}), ...(token !== undefined ? { token } : {}), as, ...(displayName ? { displayName } : {}) };
    return this.send('place', {
      meeting,
      media,
      ...(modalities ? { modalities } : {}),
      app: 'meeting-join',
      idempotencyKey: `meeting-join:${record.id}:${record.attempts}`,
    });
  }

  hangUp(callId: string): Promise<CommandAnswer> {
    return this.send('hang-up', { callId });
  }

  private async send(action: string, payload: Record<string, unknown>): Promise<CommandAnswer> {
    try {
      const reply = await this.nc.request(this.names.commandSubject(action), JSON.stringify(payload), { timeout: this.timeoutMs });
      const parsed = callCommandReplySchema.parse(reply.json());
      return parsed.ok ? { ok: true, result: (parsed.result ?? {}) as Record<string, unknown> } : parsed;
    } catch (error) {
      return { ok: false, status: 503, code: 'SignalingUnavailable', message: `signaling did not answer ${action}: ${(error as Error).message}` };
    }
  }
}
