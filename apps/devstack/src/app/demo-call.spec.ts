import type { CallEvent } from '@switchboard/nats-contracts';
import { demoCallers } from './demo-call';

const base = { callId: 'c1', occurredAt: '2026-01-01T00:00:00.000Z' };
let seq = 0;
const event = (e: Record<string, unknown>) => ({ ...base, eventId: `e${++seq}`, ...e }) as CallEvent;
const ended = (code: number, subcode: number) => event({ type: 'terminated', resultInfo: { code, subcode } });
const stored = (bytes: number) => event({ type: 'recording-stored', recordingId: 'r1', grantId: 'g1', container: 'recordings', blobName: 't1/c1/r1.wav', bytes, contentType: 'audio/wav', sha256: 'ab' });
const status = (value: 'recording' | 'notRecording', result: 'completed' | 'failed' = 'completed') =>
  event({ type: 'operation-completed', operationId: 'op', operationKind: 'updateRecordingStatusOperation', status: result, clientContext: `compliance:g1:${value}` });
const [ada, grace] = demoCallers;

describe('what the demo calls must end with', () => {
  it("Ada's call: recording granted, a stored, non-empty recording, notRecording, and a normal end", () => {
    const granted = status('recording');
    const released = status('notRecording');
    expect(ada.endedAsExpected([granted, stored(126_508), released, ended(200, 7000)])).toBe(true);
    expect(ada.endedAsExpected([granted, released, ended(200, 7000)])).toBe(false);
    expect(ada.endedAsExpected([stored(126_508), released, ended(200, 7000)])).toBe(false);
    expect(ada.endedAsExpected([granted, stored(126_508), ended(200, 7000)])).toBe(false);
    expect(ada.endedAsExpected([granted, stored(126_508), status('notRecording', 'failed'), ended(200, 7000)])).toBe(false);
    expect(ada.endedAsExpected([granted, stored(0), released, ended(200, 7000)])).toBe(false);
    expect(ada.endedAsExpected([granted, stored(126_508), released, ended(500, 7700)])).toBe(false);
    expect(ada.summary?.([granted, stored(126_508), released])).toMatch(/t1\/c1\/r1\.wav \(126508 bytes.*notRecording followed/);
  });

  it("Grace's call: transferred (200/7015), not merely ended", () => {
    expect(grace.endedAsExpected([ended(200, 7015)])).toBe(true);
    expect(grace.endedAsExpected([ended(200, 7000)])).toBe(false);
    expect(grace.endedAsExpected([])).toBe(false);
  });
});
