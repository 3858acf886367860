import type { CommsNotification } from '@switchboard/graph-models';
import { messageId } from './notification-intake';

const roster = (muted: boolean): CommsNotification => ({
  changeType: 'updated',
  resourceUrl: '/communications/calls/9a1b2c3d-0000-4000-8000-00000000abcd/participants',
  resourceData: [{ '@odata.type': '#microsoft.graph.participant', id: 'p1', isMuted: muted }],
});
const idOf = (n: CommsNotification, at: Date) => messageId(n.changeType, JSON.stringify(n), at);
const t0 = new Date('2026-01-01T00:00:00.000Z');
const t1 = new Date('2026-01-01T00:00:20.000Z');

describe('messageId (the JetStream dedupe id of a stored notification)', () => {
  it('keeps a byte-identical roster received again later: mute, unmute, mute are three facts', () => {
    expect(idOf(roster(true), t0)).not.toBe(idOf(roster(true), t1));
  });

  it('dedupes one delivery of an updated notification by content and receive time', () => {
    expect(idOf(roster(true), t0)).toBe(idOf(roster(true), new Date(t0)));
    expect(idOf(roster(true), t0)).not.toBe(idOf(roster(false), t0));
  });

  it('dedupes created and deleted notifications by content alone: they happen once per resource', () => {
    const ended: CommsNotification = { ...roster(true), changeType: 'deleted', resourceUrl: '/communications/calls/9a1b2c3d-0000-4000-8000-00000000abcd' };
    expect(idOf(ended, t0)).toBe(idOf(ended, t1));
  });
});
