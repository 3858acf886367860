import { commsNotificationsSchema, readNotification } from '@switchboard/graph-models';
import { reduceCall } from '../src/app/orchestration/call-reducer';
import { testReduceContext } from '../src/app/orchestration/reduce-context.testing';
import { establishedCallRecord, knownCallUpdates, unknownCallUpdates } from './webhook-traffic';

const callIdOf = (body: string): string => commsNotificationsSchema.parse(JSON.parse(body)).value[0].resourceUrl?.split('/').pop() ?? '';

describe('webhook bench traffic', () => {
  it('sends each unknown-call update for a call of its own, rotating the tokens', () => {
    const next = unknownCallUpdates(['t1', 't2']);
    const requests = [next(), next(), next()];
    expect(new Set(requests.map((r) => callIdOf(r.body))).size).toBe(3);
    expect(requests.map((r) => r.headers['authorization'])).toEqual(['Bearer t1', 'Bearer t2', 'Bearer t1']);
  });

  it('sends known-call updates to the given calls in turn', () => {
    const next = knownCallUpdates(['t'], ['call-a', 'call-b']);
    expect([next(), next(), next()].map((r) => callIdOf(r.body))).toEqual(['call-a', 'call-b', 'call-a']);
  });

  it("leaves an established call's record as it is: the update asks nothing of Graph", () => {
    const callId = '11111111-2222-4333-8444-555555555555';
    const record = establishedCallRecord(callId, 'tenant-1', new Date('2026-01-01T00:00:00Z'));
    const notification = commsNotificationsSchema.parse(JSON.parse(knownCallUpdates(['t'], [callId])().body)).value[0];
    expect(reduceCall(record, { kind: 'facts', facts: readNotification(notification) }, { ...testReduceContext, tenantId: 'tenant-1' })).toEqual({ kind: 'unchanged' });
  });
});
