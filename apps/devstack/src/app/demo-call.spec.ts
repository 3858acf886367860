import type { CallEvent } from '@switchboard/nats-contracts';
import { demoCallers } from './demo-call';

const base = { callId: 'c1', occurredAt: '2026-01-01T00:00:00.000Z' };
let seq = 0;
const event = (e: Record<string, unknown>) => ({ ...base, eventId: `e${++seq}`, ...e }) as CallEvent;
const ended = (code: number, subcode: number) => event({ type: 'terminated', resultInfo: { code, subcode } });
const stored = (bytes: number) => event({ type: 'recording-stored', recordingId: 'r1', grantId: 'g1', container: 'recordings', blobName: 't1/c1/r1.wav', bytes, contentType: 'audio/wav', sha256: 'ab' });
const [ada, grace] = demoCallers;

describe('what the demo calls must end with', () => {
  it("Ada's call: a stored, non-empty recording and a normal end", () => {
    expect(ada.endedAsExpected([stored(126_508), ended(200, 7000)])).toBe(true);
    expect(ada.endedAsExpected([ended(200, 7000)])).toBe(false);
    expect(ada.endedAsExpected([stored(0), ended(200, 7000)])).toBe(false);
    expect(ada.endedAsExpected([stored(126_508), ended(500, 7700)])).toBe(false);
  });

  it("Grace's call: transferred (200/7015), not merely ended", () => {
    expect(grace.endedAsExpected([ended(200, 7015)])).toBe(true);
    expect(grace.endedAsExpected([ended(200, 7000)])).toBe(false);
    expect(grace.endedAsExpected([])).toBe(false);
  });
});
