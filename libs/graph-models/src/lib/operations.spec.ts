import cancelled from '../fixtures/operation-cancelled.json';
import promptDone from '../fixtures/operation-play-prompt-completed.json';
import recordDone from '../fixtures/operation-record-completed.json';
import { clientContextSchema, commsOperationSchema, isFinalStatus, operationKindOf } from './operations';

describe('commsOperationSchema', () => {
  it('reads a completed playPrompt', () => {
    expect(commsOperationSchema.parse(promptDone.value[0].resourceData)).toMatchObject({
      kind: 'playPromptOperation',
      status: 'completed',
      clientContext: 'menu:main',
      resultInfo: { code: 200, subcode: 0 },
    });
  });

  it('reads a completed record with its location and access token', () => {
    const op = commsOperationSchema.parse(recordDone.value[0].resourceData);
    expect(op.kind).toBe('recordOperation');
    expect(op.resultInfo).toEqual({ code: 200, subcode: 8515, message: 'Action completed, max record duration reached.' });
    expect(op.recordingLocation).toBe('https://media.example.test/recordings/11cccef7.wav');
    expect(op.recordingAccessToken).toBe('fixture-recording-access-token');
  });

  it('reads a cancelled operation (400/8508)', () => {
    expect(commsOperationSchema.parse(cancelled.value[0].resourceData)).toMatchObject({
      status: 'failed',
      completionReason: 'operationCanceled',
      resultInfo: { code: 400, subcode: 8508 },
    });
  });

  it('reads an operation without id (its URL names it) and a status in other casing; refuses an unknown status', () => {
    expect(commsOperationSchema.parse({ status: 'completed', id: null }).id).toBeNull();
    expect(commsOperationSchema.parse({ id: 'o', status: 'NotStarted' }).status).toBe('notStarted');
    expect(commsOperationSchema.safeParse({ id: 'o', status: 'done' }).error!.issues[0].path).toEqual(['status']);
  });
});

describe('operation helpers', () => {
  it('derives the kind from @odata.type, ignoring case, and falls back to commsOperation', () => {
    expect(operationKindOf('#microsoft.graph.RecordOperation')).toBe('recordOperation');
    expect(operationKindOf('#microsoft.graph.somethingNewOperation')).toBe('commsOperation');
    expect(operationKindOf(undefined)).toBe('commsOperation');
  });

  it('knows which statuses are final', () => {
    expect([isFinalStatus('completed'), isFinalStatus('failed')]).toEqual([true, true]);
    expect([isFinalStatus('running'), isFinalStatus('notStarted')]).toEqual([false, false]);
  });

  it('limits clientContext to 256 characters', () => {
    expect(clientContextSchema.safeParse('x'.repeat(256)).success).toBe(true);
    expect(clientContextSchema.safeParse('x'.repeat(257)).error!.issues[0].message).toBe(
      'clientContext is limited to 256 characters',
    );
  });
});
