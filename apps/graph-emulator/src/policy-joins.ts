import type { Logger } from 'pino';
import { z } from 'zod';
import { PARTICIPANT_JOINING_TYPE, participantJoiningResponseSchema } from '@switchboard/graph-models';
import { jsonOrUndefined } from '@switchboard/nats-contracts';
import { callView, newId, type CallRecord } from './call-record';
import type { CallSimulator } from './call-simulator';
import type { CallbackSigner } from './callback-signer';
import { complianceInviteFields, type ComplianceInvite } from './compliance-invitations';
import { conflict } from './http-kit';

/** `POST /emulator/calls/{id}/policy-join`: another user under the call's recording policy joins it. */
export const policyJoinSchema = z.strictObject({
  observedUser: z.strictObject({ id: z.string().min(1).max(128), displayName: z.string().min(1).max(256).optional() }),
});

/** What became of the joining user. */
export type PolicyJoinOutcome =
  | { outcome: 'accepted'; participantId: string }
  | { outcome: 'rejected'; reason: string }
  /** The bot asked for another instance (`inviteNewBot`), or its capacity was full: a new invitation went out. */
  | { outcome: 'new-invitation'; callId: string; why: 'invite-new-bot' | 'capacity-full' }
  /** The bot's answer was no 2xx with a participantJoiningResponse: Graph treats the user as not recorded. */
  | { outcome: 'failed'; status?: number; error: string };

const TIMEOUT_MS = 5_000;

/**
 * participantJoiningNotification (contract §6): a bot that answered a policy invitation with `participantCapacity: N`
 * takes up to N recorded users; each one after the first is announced with this notification, and the bot's answer
 * (accept, reject, invite a new bot) is the body of its response, so it is sent at once, not through the notifier's
 * queue. Past the capacity, and when the bot asks for a new bot, the user comes as a new policy invitation.
 */
export class PolicyJoins {
  constructor(
    private readonly calls: CallSimulator,
    private readonly signer: CallbackSigner,
    private readonly logger: Logger,
  ) {}

  async join(callId: string, user: z.output<typeof policyJoinSchema>['observedUser']): Promise<PolicyJoinOutcome> {
    const call = this.calls.store.live(callId);
    this.calls.store.requireState(call, 'policy-join', 'established');
    const policy = call.policy;
    if (!policy) throw conflict(`Call '${call.id}' is not a policy-based recording call.`);
    if (policy.recordedUsers.length >= (call.participantCapacity ?? 1)) return this.newInvitation(call, policy.invite, user, 'capacity-full');

    const participantId = newId();
    const answer = await this.ask(call, { ...policy.invite, observedUser: user }, participantId);
    if (answer.outcome !== 'answered') return answer;
    const response = answer.response;
    if (response['@odata.type'] === '#microsoft.graph.rejectJoinResponse') return { outcome: 'rejected', reason: response.reason ?? 'none' };
    if (response['@odata.type'] === '#microsoft.graph.inviteNewBotResponse') return this.newInvitation(call, policy.invite, user, 'invite-new-bot');
    policy.recordedUsers.push(user.id);
    const joined = this.calls.rosters.add(call, { '@odata.type': '#microsoft.graph.identitySet', user: { id: user.id, ...(user.displayName ? { displayName: user.displayName } : {}), tenantId: call.tenantId } }, participantId);
    this.calls.rosters.changed(call, [joined]);
    return { outcome: 'accepted', participantId };
  }

  private newInvitation(call: CallRecord, invite: ComplianceInvite, user: { id: string; displayName?: string }, why: 'invite-new-bot' | 'capacity-full'): PolicyJoinOutcome {
    const next = this.calls.incoming({ caller: user, tenantId: call.tenantId, complianceInvite: { ...invite, observedUser: user } });
    return { outcome: 'new-invitation', callId: next.id, why };
  }

  private async ask(call: CallRecord, invite: ComplianceInvite, participantId: string) {
    const body = {
      value: [
        {
          '@odata.type': '#microsoft.graph.commsNotification',
          changeType: 'created',
          resourceUrl: `/communications/calls/${call.id}`,
          resourceData: {
            '@odata.type': PARTICIPANT_JOINING_TYPE,
            call: { ...callView(call), ...complianceInviteFields(invite, participantId, call.tenantId) },
          },
        },
      ],
    };
    try {
      const response = await fetch(call.callbackUri, {
        method: 'POST',
        headers: { authorization: `Bearer ${await this.signer.sign(call.tenantId)}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = await response.text();
      if (response.status < 200 || response.status >= 300) return { outcome: 'failed' as const, status: response.status, error: `the bot answered ${response.status}` };
      const parsed = participantJoiningResponseSchema.safeParse(jsonOrUndefined(text));
      if (!parsed.success) return { outcome: 'failed' as const, status: response.status, error: 'the bot answered without a participantJoiningResponse' };
      return { outcome: 'answered' as const, response: parsed.data };
    } catch (error) {
      this.logger.warn({ callId: call.id, err: error }, 'participantJoiningNotification not answered');
      return { outcome: 'failed' as const, error: (error as Error).message };
    }
  }
}
