import { callOutcomes, failureOf, phaseFigures, stepHeld } from './call-outcomes';
import type { GraphRequestEntry, NotificationEntry } from './emulator-logs';

let seq = 0;
const note = (callId: string, at: string, changeType: string, data: Record<string, unknown>, sub = ''): NotificationEntry => ({
  seq: ++seq,
  at,
  callId,
  changeType,
  resourceUrl: `/communications/calls/${callId}${sub}`,
  body: { value: [{ changeType, resourceData: data }] },
});
const request = (callId: string, at: string, action: string, status = 202): GraphRequestEntry => ({
  seq: ++seq,
  at,
  method: 'POST',
  path: `/v1.0/communications/calls/${callId}/${action}`,
  status,
  callId,
});
const incoming = (callId: string, at: string) => note(callId, at, 'created', { state: 'incoming' });
const ended = (callId: string, at: string, code = 200, subcode = 4097) => note(callId, at, 'deleted', { state: 'terminated', resultInfo: { code, subcode } });

describe('callOutcomes', () => {
  it('measures setup from the incoming notification to the answer request, on the emulator clock', () => {
    const [a] = callOutcomes(
      ['call-a'],
      [incoming('call-a', '2026-01-01T00:00:00.100Z'), note('call-a', '2026-01-01T00:00:00.400Z', 'updated', { state: 'established' }), ended('call-a', '2026-01-01T00:00:01.500Z')],
      [request('call-a', '2026-01-01T00:00:00.142Z', 'answer'), request('call-a', '2026-01-01T00:00:00.450Z', 'subscribeToTone', 200), request('call-a', '2026-01-01T00:00:00.460Z', 'playPrompt')],
    );
    expect(a).toEqual({ callId: 'call-a', setupMs: 42, decidedMs: 42, answerStatus: 202, prompted: true, ended: { code: 200, subcode: 4097 } });
    expect(failureOf(a)).toBeUndefined();
  });

  it('ignores other calls, operation notifications and a second answer', () => {
    const [a] = callOutcomes(
      ['call-a'],
      [
        incoming('call-a', '2026-01-01T00:00:00.000Z'),
        incoming('call-b', '2026-01-01T00:00:00.000Z'),
        note('call-a', '2026-01-01T00:00:02.000Z', 'deleted', { state: 'terminated', resultInfo: { code: 500 } }, '/operations/op-1'),
      ],
      [request('call-b', '2026-01-01T00:00:00.010Z', 'answer'), request('call-a', '2026-01-01T00:00:00.020Z', 'answer'), request('call-a', '2026-01-01T00:00:00.900Z', 'answer', 409)],
    );
    expect(a).toMatchObject({ setupMs: 20, answerStatus: 202, prompted: false });
    expect(a.ended).toBeUndefined();
  });

  it.each([
    ['never answered', [incoming('c', '2026-01-01T00:00:00Z')], []],
    ['ended unanswered 408/10057', [incoming('c', '2026-01-01T00:00:00Z'), ended('c', '2026-01-01T00:00:15Z', 408, 10057)], []],
    ['answer refused 404', [incoming('c', '2026-01-01T00:00:00Z')], [request('c', '2026-01-01T00:00:01Z', 'answer', 404)]],
    ['still up after the wait', [incoming('c', '2026-01-01T00:00:00Z')], [request('c', '2026-01-01T00:00:01Z', 'answer'), request('c', '2026-01-01T00:00:01Z', 'playPrompt')]],
    ['refused', [incoming('c', '2026-01-01T00:00:00Z'), ended('c', '2026-01-01T00:00:01Z', 603, 0)], [request('c', '2026-01-01T00:00:00.500Z', 'reject')]],
    ['no welcome prompt', [incoming('c', '2026-01-01T00:00:00Z'), ended('c', '2026-01-01T00:00:02Z')], [request('c', '2026-01-01T00:00:01Z', 'answer'), request('c', '2026-01-01T00:00:03Z', 'playPrompt', 404)]],
  ])('names the failure: %s', (reason, notifications, requests) => {
    const [outcome] = callOutcomes(['c'], notifications, requests);
    expect(failureOf(outcome)).toBe(reason);
    if (outcome.answerStatus !== 202) expect(outcome.setupMs).toBeUndefined();
  });
});

describe('phaseFigures and stepHeld', () => {
  const done = (callId: string, setupMs: number) => ({ callId, setupMs, answerStatus: 202, prompted: true, ended: { code: 200, subcode: 4097 } });

  it('counts completions and failures and summarises setup latency', () => {
    const outcomes = [done('a', 10), done('b', 30), { callId: 'c', prompted: false }];
    const figures = phaseFigures(3, 1, 4, { '503': 1 }, outcomes);
    expect(figures).toMatchObject({ offered: 4, createdPerSecond: 3, answered: 2, completed: 2, failures: { 'never answered': 1 }, dialErrors: { '503': 1 } });
    expect(figures.latency).toMatchObject({ samples: 2, p50Ms: 10, maxMs: 30 });
    expect(stepHeld(figures, 1000)).toBe(false);
  });

  it('counts refusals, and calls not answered or refused within 15 s', () => {
    const refused = { callId: 'r', rejectStatus: 202, decidedMs: 300, prompted: false, ended: { code: 603, subcode: 0 } };
    const late = { callId: 'l', answerStatus: 202, setupMs: 15_001, decidedMs: 15_001, prompted: true, ended: { code: 200, subcode: 4097 } };
    const figures = phaseFigures(4, 2, 4, {}, [{ ...done('a', 20), decidedMs: 20 }, refused, late, { callId: 'n', prompted: false }]);
    expect(figures).toMatchObject({ answered: 2, completed: 2, completedPerSecond: 1, refused: 1, undecided: 2, maxDecisionMs: 15_001, failures: { refused: 1, 'never answered': 1 } });
  });

  it('holds only when every offered call completed within the p99 limit', () => {
    const figures = phaseFigures(2, 1, 2, {}, [done('a', 100), done('b', 900)]);
    expect(stepHeld(figures, 1000)).toBe(true);
    expect(stepHeld(figures, 899)).toBe(false);
    expect(stepHeld(phaseFigures(1, 1, 0, {}, []), 1000)).toBe(false);
  });
});
