import type { InviteParticipantsRequest, ContextOnlyRequest, StartHoldMusicRequest } from '@switchboard/graph-models';
import { type CallRecord, type ParticipantRecord, type WireResultInfo, operationView } from './call-record';
import { NOT_CONNECTED, ring } from './callee-rules';
import type { CallSimulator } from './call-simulator';
import { after } from './call-timers';
import { badRequest, conflict, notFound } from './http-kit';
import { DONE } from './media-queue';

/**
 * `/calls/{id}/participants/...`: invite, remove, mute and hold music (contract §3). Invitees follow
 * the callee rules: those who answer join the roster, the others fail the invite operation.
 */
export class ParticipantActions {
  constructor(private readonly calls: CallSimulator) {}

  /** 200 + running inviteParticipantsOperation; `deleted` completed once all joined, failed if anyone did not. */
  invite(id: string, body: InviteParticipantsRequest): Record<string, unknown> {
    const call = this.established(id, 'invite participants to');
    if (!call.group) throw badRequest(`Cannot invite participants to call '${call.id}': inviting needs a group call or a meeting.`);
    const { store, rosters, callees, timings } = this.calls;
    const op = store.newOperation(call, 'inviteParticipantsOperation', 'running', body.clientContext);
    op.participants = body.participants;
    let pending = body.participants.length;
    const failures: WireResultInfo[] = [];
    for (const invitee of body.participants) {
      ring(call, callees.of([invitee]), timings, (rule) => {
        if (call.state === 'terminated') return;
        if (rule.behaviour === 'answer') rosters.changed(call, [rosters.add(call, invitee.identity, invitee.participantId ?? undefined)]);
        else failures.push(NOT_CONNECTED[rule.behaviour]());
        pending -= 1;
        if (pending > 0) return;
        const failure = failures[0];
        if (failure) store.finish(call, op, 'failed', failure);
        else store.finish(call, op, 'completed', DONE());
      });
    }
    return operationView(op);
  }

  /** DELETE: the participant leaves the roster (204, then a roster update). */
  remove(id: string, participantId: string): void {
    const call = this.established(id, 'remove participants from');
    if (!call.group) throw badRequest(`Cannot remove participants from call '${call.id}': it is a peer-to-peer call.`);
    const participant = this.person(call, participantId, 'remove');
    call.participants.delete(participant.id);
    this.calls.rosters.changed(call, [], [participant]);
  }

  /** Server mute of another participant: completed at once, then a roster update showing `serverMuted`. */
  mute(id: string, participantId: string, body: ContextOnlyRequest): Record<string, unknown> {
    const call = this.established(id, 'mute participants on');
    const participant = this.participant(call, participantId);
    const op = this.calls.store.newOperation(call, 'muteParticipantOperation', 'completed', body.clientContext, DONE());
    participant.serverMuted = true;
    this.calls.rosters.changed(call, [participant]);
    return operationView(op);
  }

  /** 202 + running operation, then `deleted` completed. One participant is on hold at a time. */
  holdMusic(id: string, participantId: string, start: boolean, body: StartHoldMusicRequest): Record<string, unknown> {
    const call = this.established(id, `${start ? 'start' : 'stop'} hold music on`);
    const participant = this.person(call, participantId, 'put on hold');
    if (start) {
      const held = [...call.participants.values()].find((p) => p.onHold);
      if (held) throw conflict(`Participant '${held.id}' is already on hold; only one participant is on hold at a time.`);
    } else if (!participant.onHold) {
      throw conflict(`Participant '${participant.id}' is not on hold.`);
    }
    participant.onHold = start;
    const type = start ? 'startHoldMusicOperation' : 'stopHoldMusicOperation';
    const op = this.calls.store.newOperation(call, type, 'running', body.clientContext);
    after(call, this.calls.timings.answerDelayMs, () => this.calls.store.finish(call, op, 'completed', DONE()));
    return operationView(op);
  }

  private established(id: string, action: string): CallRecord {
    const call = this.calls.store.live(id);
    this.calls.store.requireState(call, action, 'established');
    return call;
  }

  private participant(call: CallRecord, participantId: string): ParticipantRecord {
    const participant = call.participants.get(participantId) ?? call.participants.get(participantId.toLowerCase());
    if (!participant) throw notFound(`Participant '${participantId}' was not found on call '${call.id}'.`);
    return participant;
  }

  /** Someone other than the bot (the bot leaves with DELETE /calls/{id} and has no hold music). */
  private person(call: CallRecord, participantId: string, action: string): ParticipantRecord {
    const participant = this.participant(call, participantId);
    if (participant.isBot) throw badRequest(`Cannot ${action} the bot's own participant '${participant.id}'.`);
    return participant;
  }
}
