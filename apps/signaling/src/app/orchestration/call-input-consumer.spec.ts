import type { JsMsg } from 'nats';
import type { CommsNotification } from '@switchboard/graph-models';
import { natsNames } from '@switchboard/nats-contracts';
import type { StoredMessage } from '@switchboard/jetstream';
import type { OrchestratorInput } from './call-orchestrator';
import { laneOf, notificationSource } from './call-input-consumer';

const callId = '9a1b2c3d-0000-4000-8000-00000000abcd';
const notified = (changeType: CommsNotification['changeType'], state: string): OrchestratorInput => ({
  kind: 'notification',
  stored: {
    receivedAt: '2026-01-01T00:00:00.000Z',
    tenantId: 'tenant-1',
    issuer: 'https://api.botframework.com',
    notification: { changeType, resourceUrl: `/communications/calls/${callId}`, resourceData: { '@odata.type': '#microsoft.graph.call', id: callId, state } },
  },
});

describe('laneOf (which inputs go first when the replica has more than slots)', () => {
  it('puts a new call first while the replica takes every new call', () => {
    expect(laneOf(notified('created', 'incoming'), true)).toBe('urgent');
  });

  it('queues new calls with the inputs of calls already taken while it takes only a share of them', () => {
    expect(laneOf(notified('created', 'incoming'), false)).toBe('normal');
  });

  it('queues every other input normally', () => {
    expect(laneOf(notified('updated', 'established'), true)).toBe('normal');
    expect(laneOf({ kind: 'timer', timerId: 't-1', purpose: 'keepAlive', dueAt: 0 }, true)).toBe('normal');
  });
});

describe('notificationSource: whether a notification about a call without a record deserves a second look', () => {
  const names = natsNames('t');
  const storedAtMs = Date.parse('2026-01-01T00:00:00.000Z');
  const msg = { seq: 40, subject: names.notificationSubject(callId), info: { timestampNanos: storedAtMs * 1_000_000 } } as unknown as JsMsg;
  const source = (lastPlacementAt: number | undefined, firstSeq: number) => {
    const asked: { stream: string; subject: string }[] = [];
    const first = { seq: firstSeq } as StoredMessage;
    const signs = {
      placements: { lastPlacementAt: async () => lastPlacementAt },
      notifications: { firstMessage: async (stream: string, subject: string) => (asked.push({ stream, subject }), first) },
    };
    return { source: notificationSource(names, signs), asked };
  };

  it('gives none when nobody placed a call lately and it is the first notification of its call', async () => {
    const { source: never, asked } = source(undefined, msg.seq);
    expect(await never.recordMayFollow(msg, Date.now())).toBe(false);
    expect(asked).toEqual([{ stream: names.notificationsStream, subject: names.notificationSubject(callId) }]);
    expect(await source(storedAtMs - 61_000, msg.seq).source.recordMayFollow(msg, Date.now())).toBe(false);
  });

  it('looks again when a placement began within the minute before the notification was stored, or after', async () => {
    expect(await source(storedAtMs - 59_000, msg.seq).source.recordMayFollow(msg, Date.now())).toBe(true);
    expect(await source(storedAtMs + 500, msg.seq).source.recordMayFollow(msg, Date.now())).toBe(true);
  });

  it('looks again when an earlier notification of the call may still be being applied (its created, say)', async () => {
    expect(await source(undefined, msg.seq - 3).source.recordMayFollow(msg, Date.now())).toBe(true);
  });
});
