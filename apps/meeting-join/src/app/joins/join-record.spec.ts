import { joinRequestSchema, type CallEvent, type RosterParticipant } from '@switchboard/nats-contracts';
import { applyCallEvent, joinView, newJoin, type JoinRecord } from './join-record';

const now = new Date('2026-03-01T10:00:00Z');
const callId = '6a1e0b00-1a2b-4c3d-8e9f-0123456789ab';
const request = joinRequestSchema.parse({ meetingId: '123 456 789 012', passcode: 'Secr3t', as: 'guest', displayName: 'Notetaker' });

function placed(state: JoinRecord['state'] = 'joining'): JoinRecord {
  const record = newJoin({ id: 'j1', request, requestedBy: 'app-1', now, maxAttempts: 2 });
  return { ...record, state, callId, myParticipantId: 'bot', outbox: [] };
}

let n = 0;
const event = (fields: Record<string, unknown>): CallEvent =>
  ({ eventId: `${callId}:${++n}:${String(fields['type'])}`, callId, occurredAt: now.toISOString(), ...fields }) as CallEvent;
const person = (id: string, over: Partial<RosterParticipant> = {}): RosterParticipant => ({ id, muted: false, inLobby: false, sharingScreen: false, sourceIds: [1], ...over });
const roster = (...participants: RosterParticipant[]) => event({ type: 'participants-updated', participants, joined: [], left: [] });
const terminated = (code: number, subcode: number) => event({ type: 'terminated', resultInfo: { code, subcode } });

describe('join state machine', () => {
  it('starts requested (or scheduled when due later) with a task for attempt 1 and a state-changed event', () => {
    const now1 = newJoin({ id: 'j1', request, requestedBy: 'a', now, maxAttempts: 3 });
    expect(now1.state).toBe('requested');
    expect(now1.outbox.map((i) => i.kind)).toEqual(['event', 'task']);
    const later = newJoin({ id: 'j2', request, requestedBy: 'a', now, dueAt: new Date(now.getTime() + 60_000), maxAttempts: 3 });
    expect(later).toMatchObject({ state: 'scheduled', outbox: [{ kind: 'event' }, { kind: 'task', task: { attempt: 1, dueAt: now.getTime() + 60_000 } }] });
  });

  it('goes joining → inLobby → joined as the bot waits and is admitted, keeping the roster', () => {
    const r = placed();
    expect(applyCallEvent(r, roster(person('bot', { inLobby: true })), now)).toBe(true);
    expect(r.state).toBe('inLobby');
    applyCallEvent(r, roster(person('bot'), person('ada')), now);
    applyCallEvent(r, event({ type: 'established' }), now);
    expect(r.state).toBe('joined');
    expect(r.participants.map((p) => p.id)).toEqual(['bot', 'ada']);
    expect(r.outbox.filter((i) => i.kind === 'event').map((i) => (i.kind === 'event' ? i.event.type : ''))).toEqual([
      'participants-updated',
      'state-changed',
      'participants-updated',
      'state-changed',
    ]);
  });

  it('skips a roster older than the one applied', () => {
    const r = placed('joined');
    const newer = roster(person('bot'), person('ada', { muted: true }));
    const older = { ...roster(person('bot'), person('ada')), eventId: `${callId}:1:participants-updated` } as CallEvent;
    applyCallEvent(r, newer, now);
    expect(applyCallEvent(r, older, now)).toBe(false);
    expect(r.participants[1]?.muted).toBe(true);
  });

  it.each([
    ['a lobby timeout', 'inLobby', 200, 5855, 'failed', 'lobbyTimeout'],
    ['a denial from the lobby', 'inLobby', 200, 5300, 'failed', 'notAdmitted'],
    ['a meeting that ended before the bot got in', 'joining', 200, 5001, 'failed', 'meetingEnded'],
    ['the meeting ending', 'joined', 200, 5001, 'left', 'meetingEnded'],
    ['being removed', 'joined', 200, 5300, 'left', 'removed'],
  ] as const)('decodes %s', (_name, from, code, subcode, to, reason) => {
    const r = placed(from);
    applyCallEvent(r, terminated(code, subcode), now);
    expect(r).toMatchObject({ state: to, reason: { code: reason }, result: { code, subcode } });
    expect(r.result?.cause).toEqual(expect.any(String));
  });

  it('reads the end of a call it was asked to leave as left on request', () => {
    const r = { ...placed('joined'), leaveRequested: true };
    applyCallEvent(r, terminated(200, 7000), now);
    expect(r).toMatchObject({ state: 'left', reason: { code: 'leftOnRequest' } });
  });

  it('places the call again after a server-side failure, within the attempt limit', () => {
    const r = placed();
    applyCallEvent(r, terminated(500, 1005), now);
    expect(r).toMatchObject({ state: 'requested', attempts: 2 });
    expect(r.callId).toBeUndefined();
    expect(r.outbox.at(-1)).toEqual({ kind: 'task', task: { joinId: 'j1', attempt: 2 } });
    const again = { ...r, callId, outbox: [] };
    again.state = 'joining';
    applyCallEvent(again, terminated(500, 1005), now);
    expect(again).toMatchObject({ state: 'failed', reason: { code: 'attemptsExhausted' } });
  });

  it('ignores events of another call and after the join ended', () => {
    const r = placed('left');
    expect(applyCallEvent(r, terminated(200, 5001), now)).toBe(false);
    const other = placed();
    expect(applyCallEvent(other, { ...terminated(200, 5001), callId: 'another-call' } as CallEvent, now)).toBe(false);
  });

  it('never shows the passcode, the token or a short link passcode', () => {
    const r = placed();
    expect(JSON.stringify(joinView(r))).not.toContain('Secr3t');
    const link = newJoin({ id: 'j3', request: joinRequestSchema.parse({ joinUrl: 'https://teams.microsoft.com/meet/123456789012?p=Secr3t' }), requestedBy: 'a', now, maxAttempts: 1 });
    expect(joinView(link).meeting).toEqual({ by: 'joinUrl', joinUrl: 'https://teams.microsoft.com/meet/123456789012' });
    const token = newJoin({ id: 'j4', request: joinRequestSchema.parse({ token: 'opaque-Secr3t' }), requestedBy: 'a', now, maxAttempts: 1 });
    expect(JSON.stringify(joinView(token))).not.toContain('Secr3t');
  });
});
