import type { CommsNotification } from '@switchboard/graph-models';
import { messageId } from './notification-intake';

const roster = (muted: boolean): CommsNotification => ({
  changeType: 'updated',
  resourceUrl: '/communications/calls/9a1b2c3d-0000-4000-8000-00000000abcd/participants',
  resourceData: [{ '@odata.type': '#microsoft.graph.participant', id: 'p1', isMuted: muted }],
});
const t0 = new Date('2026-01-01T00:00:00.000Z');
const t1 = new Date('2026-01-01T00:00:20.000Z');

describe('messageId (the JetStream dedupe id of a stored notification)', () => {
  it('keeps a byte-identical roster received again later: mute, unmute, mute are three facts', () => {
    expect(messageId(roster(true), t0)).not.toBe(messageId(roster(true), t1));
  });

  it('dedupes one delivery of an updated notification by content and receive time', () => {
    expect(messageId(roster(true), t0)).toBe(messageId(roster(true), new Date(t0)));
    expect(messageId(roster(true), t0)).not.toBe(messageId(roster(false), t0));
  });

  it('dedupes created and deleted notifications by content alone: they happen once per resource', () => {
    const ended: CommsNotification = { ...roster(true), changeType: 'deleted', resourceUrl: '/communications/calls/9a1b2c3d-0000-4000-8000-00000000abcd' };
    expect(messageId(ended, t0)).toBe(messageId(ended, t1));
  });
});
