import type { CommsNotification } from '@switchboard/graph-models';
import type { OrchestratorInput } from './call-orchestrator';
import { laneOf } from './call-input-consumer';

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
