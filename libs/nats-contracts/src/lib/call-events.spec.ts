import { parseCallEvent } from './call-events';

describe('parseCallEvent', () => {
  const base = { eventId: 'e1', callId: 'c1', occurredAt: '2026-01-01T00:00:00.000Z' };

  it('reads a tone event', () => {
    const e = parseCallEvent(JSON.stringify({ ...base, type: 'tone', tone: 'tone1', digit: '1', sequenceId: 3 }));
    expect(e.type).toBe('tone');
  });

  it('reads a participants-updated event and refuses a participant without its mute state', () => {
    const ada = { id: 'p1', displayName: 'Ada', muted: true, inLobby: false, sharingScreen: false, sourceIds: [3] };
    const e = parseCallEvent(JSON.stringify({ ...base, type: 'participants-updated', participants: [ada], joined: ['p1'], left: [] }));
    expect(e).toMatchObject({ type: 'participants-updated', participants: [ada] });
    const { muted: _muted, ...noMute } = ada;
    expect(() => parseCallEvent(JSON.stringify({ ...base, type: 'participants-updated', participants: [noMute], joined: [], left: [] }))).toThrow(/muted/);
  });

  it('names the bad field of an invalid payload', () => {
    expect(() => parseCallEvent(JSON.stringify({ ...base, type: 'tone', tone: 'tone12', digit: '1', sequenceId: 3 }))).toThrow(/tone/);
    expect(() => parseCallEvent(JSON.stringify({ ...base, type: 'nope' }))).toThrow();
    expect(() => parseCallEvent('{not json')).toThrow(SyntaxError);
  });
});
