import pino from 'pino';
import { FakeGrant, FakeGate } from '../testing/recording.testing';
import { grantsOf, podRecording } from './pod-recording';

describe('the pod’s recording wiring', () => {
  it('records nothing without Blob storage, and says so', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const recording = podRecording({} as never, { BLOB_CONNECTION_STRING: undefined, RECORDINGS_CONTAINER: 'recordings', RECORDING_RETENTION_DAYS: 30, TENANT_RECORDING_RETENTION_DAYS: {}, NATS_NAMESPACE: '', POD_NAME: 'media-0' }, logger);
    expect(recording.sessions).toEqual({});
    expect(lines.join('')).toContain('BLOB_CONNECTION_STRING is not set: this pod records nothing');
  });

  it('gives the whole-call recorder only the grants asked for the whole call, not a message’s', () => {
    const gate = new FakeGate();
    const calls = grantsOf(gate, 'media:media-0');
    gate.grants.set('call-1', new FakeGrant('call-1', 'media:media-0:record'));
    expect(calls.grantFor('call-1')).toBeUndefined();
    const whole = new FakeGrant('call-1', 'media:media-0');
    gate.grants.set('call-1', whole);
    expect(calls.grantFor('call-1')).toBe(whole);
  });
});
