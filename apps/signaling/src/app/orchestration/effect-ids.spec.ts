import {
  callEventId,
  effectId,
  failureRequestId,
  grantRenewalTimerId,
  keepAliveTimerId,
  mediaEventRequestId,
  mediaPromptId,
  mediaPromptOf,
  recordingName,
  recordingStatusAnsweredRequestId,
  recordingStoredEventId,
  type EffectCause,
} from './effect-ids';

/**
 * These strings are stored in call records and used as JetStream message ids and Graph clientContexts: a replica
 * running another version must build the same id for the same cause, so the formats are pinned here.
 */
describe('effect ids', () => {
  const callId = '4f1e0b00-1a2b-4c3d-8e9f-0123456789ab';
  const failed = effectId({ kind: 'graph', clientContext: 'menu:4' });

  it.each<[EffectCause, string]>([
    [{ kind: 'answer' }, 'answer'],
    [{ kind: 'reject' }, 'reject'],
    [{ kind: 'redirect' }, 'redirect'],
    [{ kind: 'hangup' }, 'hangup'],
    [{ kind: 'graph', clientContext: 'menu:4' }, 'graph:menu:4'],
    [{ kind: 'media', clientContext: 'menu:4' }, 'media:menu:4'],
    [{ kind: 'keepAlive', timerId: `${callId}:keepAlive:3` }, `keepAlive:${callId}:keepAlive:3`],
    [{ kind: 'timer', timerId: 'menu:5' }, 'timer:menu:5'],
    [{ kind: 'flow-webhook', requestId: 'ask-app:7' }, 'webhook:ask-app:7'],
    [{ kind: 'store-recording', name: `${callId}/12.wav` }, `store-recording:${callId}/12.wav`],
    [{ kind: 'start-grant', clientContext: 'message:3' }, 'grant-start:message:3'],
    [{ kind: 'stop-grant', grantId: 'a4b1c2d3-0000-4000-8000-000000000001' }, 'grant-stop:a4b1c2d3-0000-4000-8000-000000000001'],
    [{ kind: 'renew-grant', timerId: 'grant-renewal:g:2' }, 'grant-renew:grant-renewal:g:2'],
    [{ kind: 'event', eventNumber: 12, type: 'flow-event' }, 'event:12:flow-event'],
    [{ kind: 'effect-failed-event', failed }, 'event:effect-failed:graph:menu:4'],
    [{ kind: 'action-failed-input', failed }, 'schedule:action-failed:graph:menu:4'],
  ])('%j is stored as %s', (cause, id) => {
    expect(effectId(cause)).toBe(id);
  });

  it('keeps the ids of events, timers, failure reports and recordings', () => {
    expect(callEventId(callId, 3, 'established')).toBe(`${callId}:3:established`);
    expect(recordingStoredEventId(callId, `${callId}/12.wav`)).toBe(`${callId}:recording:${callId}/12.wav`);
    expect(recordingStatusAnsweredRequestId('compliance:g:recording')).toBe('recording-status-answered:compliance:g:recording');
    expect(keepAliveTimerId(callId, 2)).toBe(`${callId}:keepAlive:2`);
    expect(grantRenewalTimerId('a4b1c2d3-0000-4000-8000-000000000001', 2)).toBe('grant-renewal:a4b1c2d3-0000-4000-8000-000000000001:2');
    expect(failureRequestId(failed)).toBe('failed:graph:menu:4');
    expect(recordingName(callId, 12)).toBe(`${callId}/12.wav`);
  });

  it('keeps the ids of media prompts and of relayed media events', () => {
    expect(mediaPromptId('menu:4')).toBe('menu:4');
    expect(mediaPromptId('menu:4', 0)).toBe('menu:4@0');
    expect(mediaPromptId('message:9', 'prompt')).toBe('message:9@prompt');
    expect([mediaPromptOf('menu:4'), mediaPromptOf('menu:4@0'), mediaPromptOf('message:9@prompt')]).toEqual([
      { clientContext: 'menu:4' },
      { clientContext: 'menu:4', part: 0 },
      { clientContext: 'message:9', part: 'prompt' },
    ]);
    const base = { callId, podName: 'media-0', occurredAt: '2026-01-01T00:00:00.000Z', atMs: 1520 };
    expect(mediaEventRequestId({ ...base, type: 'dtmf', digit: '1', source: 'audio' })).toBe('media:dtmf:1520');
    expect(mediaEventRequestId({ ...base, type: 'prompt-completed', id: 'menu:4', reason: 'completed', framesPlayed: 3 })).toBe('media:prompt-completed:menu:4');
    expect(mediaEventRequestId({ ...base, type: 'record-completed', id: 'message:9', reason: 'silence' })).toBe('media:record-completed:message:9');
    expect(mediaEventRequestId({ ...base, type: 'session-started', grpcTarget: 'media-0:50051' })).toBe('media:session-started');
    expect(mediaEventRequestId({ ...base, type: 'session-failed', error: 'x' })).toBe('media:session-failed');
  });

  it('never gives effects of different kinds the same id for look-alike values', () => {
    const ids = [
      effectId({ kind: 'graph', clientContext: 'x:1' }),
      effectId({ kind: 'media', clientContext: 'x:1' }),
      effectId({ kind: 'timer', timerId: 'x:1' }),
      effectId({ kind: 'keepAlive', timerId: 'x:1' }),
      effectId({ kind: 'flow-webhook', requestId: 'x:1' }),
      effectId({ kind: 'store-recording', name: 'x:1' }),
      effectId({ kind: 'start-grant', clientContext: 'x:1' }),
      effectId({ kind: 'stop-grant', grantId: 'x:1' }),
      effectId({ kind: 'renew-grant', timerId: 'x:1' }),
      effectId({ kind: 'event', eventNumber: 1, type: 'x' }),
      effectId({ kind: 'effect-failed-event', failed: effectId({ kind: 'answer' }) }),
      effectId({ kind: 'action-failed-input', failed: effectId({ kind: 'answer' }) }),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });
});
