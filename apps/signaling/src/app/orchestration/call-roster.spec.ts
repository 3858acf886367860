import { readNotification, type CommsNotification } from '@switchboard/graph-models';
import type { CallEventOf } from '@switchboard/nats-contracts';
import { newOutgoingRecord, type CallRecord } from './call-record';
import { reduceCall } from './call-reducer';
import { testReduceContext } from './reduce-context.testing';

const callId = '5a1e0b00-1a2b-4c3d-8e9f-0123456789ab';
const ctx = testReduceContext;
const placed = (): CallRecord =>
  newOutgoingRecord({ callId, tenantId: 'tenant-1', handler: { kind: 'app', app: 'meetings' }, placedBy: { subject: 'meetings', requestId: 'q1' }, now: ctx.now });

interface Person {
  id: string;
  name?: string;
  muted?: boolean;
  lobby?: boolean;
  sharing?: boolean;
  removed?: boolean;
}
const participant = (p: Person): Record<string, unknown> => ({
  '@odata.type': '#microsoft.graph.participant',
  id: p.id,
  info: { identity: p.name ? { user: { id: `u-${p.id}`, displayName: p.name } } : { application: { id: 'bot-app' } } },
  mediaStreams: [
    { mediaType: 'audio', label: 'main-audio', sourceId: String((p.id ?? '').length + 10), direction: 'sendReceive', serverMuted: false },
    ...(p.sharing ? [{ mediaType: 'videoBasedScreenSharing', sourceId: '99', direction: 'sendOnly' }] : []),
  ],
  isMuted: p.muted ?? false,
  isInLobby: p.lobby ?? false,
  ...(p.removed ? { removedState: { reason: 'left' } } : {}),
});
const full = (...people: Person[]): CommsNotification => ({
  changeType: 'updated',
  resourceUrl: `/communications/calls/${callId}/participants`,
  resourceData: people.map(participant),
});
const delta = (sequenceNumber: number, ...people: Person[]): CommsNotification => ({
  changeType: 'updated',
  resourceUrl: `/communications/calls/${callId}/participants`,
  resourceData: [{ '@odata.type': '#microsoft.graph.deltaParticipants', sequenceNumber, participants: people.map(participant) }],
});

/** Applies notifications in order, returning the final record and the roster events decided on the way. */
function run(...notifications: CommsNotification[]): { record: CallRecord; events: CallEventOf<'participants-updated'>[] } {
  let record = placed();
  const events: CallEventOf<'participants-updated'>[] = [];
  for (const n of notifications) {
    const result = reduceCall(record, { kind: 'facts', facts: readNotification(n) }, ctx);
    if (result.kind !== 'changed') continue;
    record = result.record;
    for (const item of record.outbox) {
      if (item.action.kind === 'publish' && item.action.event.type === 'participants-updated') events.push(item.action.event);
    }
    record = { ...record, outbox: [] };
  }
  return { record, events };
}

const bot: Person = { id: 'bot' };
const ada: Person = { id: 'ada', name: 'Ada' };
const bob: Person = { id: 'bob', name: 'Bob' };

describe('roster events', () => {
  it('tells who joined and who left from full rosters, with identity, mute, lobby, sharing and MSIs', () => {
    const { events } = run(full(bot, ada), full(bot, ada, { ...bob, sharing: true }), full(bot, { ...bob, sharing: true }));
    expect(events.map((e) => [e.joined, e.left])).toEqual([
      [['bot', 'ada'], []],
      [['bob'], []],
      [[], ['ada']],
    ]);
    expect(events[1].participants.find((p) => p.id === 'bob')).toEqual({
      id: 'bob',
      displayName: 'Bob',
      identity: { kind: 'user', id: 'u-bob', displayName: 'Bob' },
      muted: false,
      inLobby: false,
      sharingScreen: true,
      sourceIds: [13, 99],
    });
    expect(events[0].participants.find((p) => p.id === 'bot')).toMatchObject({ identity: { kind: 'application', id: 'bot-app' }, inLobby: false });
  });

  it('ends right after byte-identical rosters at different times: mute, unmute, mute, unmute', () => {
    const muted = full(bot, { ...ada, muted: true });
    const unmuted = full(bot, ada);
    const { record, events } = run(unmuted, muted, unmuted, muted, unmuted);
    expect(events.map((e) => e.participants.find((p) => p.id === 'ada')?.muted)).toEqual([false, true, false, true, false]);
    expect(record.roster?.participants.find((p) => p.id === 'ada')?.muted).toBe(false);
  });

  it('changes nothing when the same roster is applied again (a redelivery)', () => {
    const { record } = run(full(bot, ada));
    expect(reduceCall(record, { kind: 'facts', facts: readNotification(full(bot, ada)) }, ctx)).toEqual({ kind: 'unchanged' });
  });

  it('reports the bot waiting in the lobby, then admitted', () => {
    const { events } = run(full({ ...bot, lobby: true }), full(bot, ada));
    expect(events.map((e) => e.participants.find((p) => p.id === 'bot')?.inLobby)).toEqual([true, false]);
  });

  it('applies delta rosters in sequence: updates, leavers by removedState, and ignores an old or repeated delta', () => {
    const { record, events } = run(
      delta(1, bot, ada),
      delta(2, { ...ada, muted: true }, bob),
      delta(2, { ...ada, muted: true }, bob),
      delta(1, ada),
      delta(3, { ...bob, removed: true }),
    );
    expect(events.map((e) => [e.joined, e.left])).toEqual([
      [['bot', 'ada'], []],
      [['bob'], []],
      [[], ['bob']],
    ]);
    expect(record.roster).toMatchObject({ deltaSequence: 3 });
    expect(record.roster?.participants.map((p) => [p.id, p.muted])).toEqual([
      ['bot', false],
      ['ada', true],
    ]);
  });

  it('does not read a full roster with unreadable items as "the missing ones left"', () => {
    const broken: CommsNotification = {
      changeType: 'updated',
      resourceUrl: `/communications/calls/${callId}/participants`,
      resourceData: [participant(bot), { id: 'x', mediaStreams: [{ mediaType: 'hologram' }] }],
    };
    const { record, events } = run(full(bot, ada), broken);
    expect(events).toHaveLength(1);
    expect(record.roster?.participants.map((p) => p.id)).toEqual(['bot', 'ada']);
  });

  it('skips invitees without a participant id yet', () => {
    const { events } = run(full(bot, { id: null } as unknown as Person));
    expect(events[0].participants.map((p) => p.id)).toEqual(['bot']);
  });
});
