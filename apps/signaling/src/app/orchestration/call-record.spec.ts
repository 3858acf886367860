import { copyRecord, newOutgoingRecord, type CallRecord } from './call-record';

describe('copyRecord', () => {
  it('copies a record deeply: equal, and changing the copy leaves the original as it was', () => {
    const original = {
      ...newOutgoingRecord({ callId: 'c-1', tenantId: 't-1', handler: { kind: 'app', app: 'a' }, placedBy: { subject: 's', requestId: 'r' }, now: new Date(0) }),
      history: [{ at: '1970-01-01T00:00:00.000Z', type: 'tone', detail: { digit: '1' } }],
      timers: { keepAlive: 'c-1:keepAlive:1' },
    } as unknown as CallRecord;
    const before = JSON.parse(JSON.stringify(original)) as unknown;
    const copy = copyRecord(original);
    expect(copy).toEqual(original);
    (copy.history[0] as unknown as { detail: { digit: string } }).detail.digit = '2';
    copy.timers.keepAlive = undefined;
    copy.outbox.push({ id: 'x' } as unknown as CallRecord['outbox'][number]);
    expect(original).toEqual(before);
  });
});
