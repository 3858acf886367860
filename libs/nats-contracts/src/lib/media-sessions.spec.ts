import { callEventSchemas } from './call-events';
import { mediaCommandSchemas, parseMediaSessionEvent } from './media-sessions';
import { natsNames } from './names';

describe('media session contract', () => {
  it('names command and event subjects per call under the namespace, any call id as one token', () => {
    const n = natsNames('t-1');
    expect(n.mediaCommandSubject('ABC-1', 'play')).toBe('t-1.media.v1.commands.abc-1.play');
    expect(n.mediaCommandSubjects('abc-1')).toBe('t-1.media.v1.commands.abc-1.*');
    expect(n.mediaEventSubject('abc-1', 'dtmf')).toBe('t-1.media.v1.events.abc-1.dtmf');
    expect(n.mediaCallEventSubjects('abc-1')).toBe('t-1.media.v1.events.abc-1.*');
    expect(n.mediaEventTypeSubjects('session-started')).toBe('t-1.media.v1.events.*.session-started');
    expect(natsNames().mediaEventSubjects).toBe('media.v1.events.>');
    // A bridge's call id with dots stays one token.
    expect(n.mediaEventSubject('bridge.call:7', 'dtmf').split('.')).toHaveLength(6);
  });

  it('takes a play command with barge-in and refuses one without an http(s) WAV URL or with unknown fields', () => {
    expect(mediaCommandSchemas.play.parse({ id: 'menu', uri: 'https://p/menu.wav', bargeIn: { keys: true } })).toEqual({ id: 'menu', uri: 'https://p/menu.wav', bargeIn: { keys: true } });
    expect(mediaCommandSchemas.play.safeParse({ id: 'menu', uri: 'file:///etc/passwd' }).error?.issues[0]?.message).toBe('must be the http(s) URL of a 16-bit PCM WAV file');
    expect(mediaCommandSchemas.play.safeParse({ id: 'has space', uri: 'https://p/m.wav' }).success).toBe(false);
    expect(mediaCommandSchemas.cancel.safeParse({ id: 'x', all: true }).success).toBe(false);
  });

  it('takes a record command with its limits and stop keys and refuses limits out of range', () => {
    const record = { id: 'msg-1', maxDurationSeconds: 60, maxSilenceSeconds: 3, initialSilenceSeconds: 5, stopKeys: ['#'], beep: true };
    expect(mediaCommandSchemas.record.parse(record)).toEqual(record);
    expect(mediaCommandSchemas.record.safeParse({ ...record, maxDurationSeconds: 0 }).success).toBe(false);
    expect(mediaCommandSchemas.record.safeParse({ ...record, stopKeys: ['x'] }).success).toBe(false);
    expect(mediaCommandSchemas.record.safeParse({ id: 'msg-1' }).error?.issues[0]?.path).toEqual(['maxDurationSeconds']);
  });

  it('parses every event type and names a bad field', () => {
    const base = { callId: 'c', podName: 'media-0', occurredAt: '2026-01-01T00:00:00.000Z', atMs: 40 };
    expect(parseMediaSessionEvent(JSON.stringify({ ...base, type: 'dtmf', digit: '#', source: 'audio' }))).toMatchObject({ type: 'dtmf', digit: '#' });
    expect(parseMediaSessionEvent(JSON.stringify({ ...base, type: 'dominant-speaker', speaker: null }))).toMatchObject({ speaker: null });
    expect(() => parseMediaSessionEvent(JSON.stringify({ ...base, type: 'dtmf', digit: 'x', source: 'audio' }))).toThrow(/digit/);
    expect(() => parseMediaSessionEvent(JSON.stringify({ ...base, type: 'prompt-completed', id: 'p', reason: 'done', framesPlayed: 1 }))).toThrow(/reason/);
    const recording = { recordingId: 'r', container: 'recordings', blobName: 'c/r.wav', bytes: 32044, durationMs: 1000, sha256: 'ab' };
    expect(parseMediaSessionEvent(JSON.stringify({ ...base, type: 'record-completed', id: 'msg-1', reason: 'key', key: '#', recording }))).toMatchObject({ reason: 'key', recording });
    expect(() => parseMediaSessionEvent(JSON.stringify({ ...base, type: 'record-completed', id: 'msg-1', reason: 'hung-up' }))).toThrow(/reason/);
  });

  it('reads participants-updated with the media source ids', () => {
    const event = callEventSchemas['participants-updated'].parse({
      eventId: 'e',
      callId: 'c',
      occurredAt: '2026-01-01T00:00:00.000Z',
      type: 'participants-updated',
      participants: [{ id: 'p1', displayName: 'Ana', muted: false, inLobby: false, sharingScreen: false, sourceIds: [11, 12] }],
      joined: ['p1'],
      left: [],
    });
    expect(event.participants[0]).toEqual({ id: 'p1', displayName: 'Ana', muted: false, inLobby: false, sharingScreen: false, sourceIds: [11, 12] });
    expect(callEventSchemas['participants-updated'].safeParse({ ...event, participants: [{ ...event.participants[0], sourceIds: [-1] }] }).success).toBe(false);
  });
});
