import callTerminated from '../fixtures/call-terminated.json';
import incomingCall from '../fixtures/incoming-call.json';
import tone from '../fixtures/tone.json';
import { callSchema, callStates, digitToTone, toneInfoSchema, tones, toneToDigit } from './call';
import { primaryIdentity } from './identity';

describe('callSchema', () => {
  it('reads an incoming call with source, targets and incomingContext', () => {
    const call = callSchema.parse(incomingCall.value[0].resourceData);
    expect(call).toMatchObject({ state: 'incoming', direction: 'incoming', requestedModalities: ['audio', 'video'] });
    expect(primaryIdentity(call.source?.identity)).toEqual({
      kind: 'user',
      identity: expect.objectContaining({ id: '8d3a4b5c-6d7e-4f80-9a1b-2c3d4e5f6a7b', displayName: 'Alex Caller' }),
    });
    expect(primaryIdentity(call.targets?.[0].identity)?.kind).toBe('application');
    expect(call.incomingContext?.observedParticipantId).toBe('2f3e4d5c-6b7a-4898-a7b6-c5d4e3f2a1b0');
    expect(call.source?.countryCode).toBe('US');
  });

  it('reads a partial update that carries only the state', () => {
    expect(callSchema.parse({ state: 'established' })).toEqual({ state: 'established' });
  });

  it('reads a termination whose resultInfo has strings and subCode', () => {
    const call = callSchema.parse(callTerminated.value[0].resourceData);
    expect(call.state).toBe('terminated');
    expect(call.resultInfo).toEqual({
      code: 408,
      subcode: 8537,
      message: 'Call was terminated because keep-alive was not received.',
    });
  });

  it('reads toneInfo', () => {
    expect(callSchema.parse(tone.value[0].resourceData).toneInfo).toMatchObject({ sequenceId: 1, tone: 'tone1' });
    expect(toneInfoSchema.parse({ sequenceId: '42', tone: 'pound' })).toEqual({ sequenceId: 42, tone: 'pound' });
  });

  it('reads every documented call state', () => {
    for (const state of callStates) expect(callSchema.parse({ state }).state).toBe(state);
  });

  it('refuses an unknown call state, naming the field', () => {
    const result = callSchema.safeParse({ state: 'ringingLoudly' });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].path).toEqual(['state']);
  });

  it('refuses an unknown tone and a sequenceId that is not an integer', () => {
    expect(callSchema.safeParse({ toneInfo: { sequenceId: 1, tone: 'tone10' } }).error!.issues[0].path).toEqual([
      'toneInfo',
      'tone',
    ]);
    expect(toneInfoSchema.safeParse({ sequenceId: 'one', tone: 'tone1' }).success).toBe(false);
    expect(toneInfoSchema.safeParse({ sequenceId: 1.5, tone: 'tone1' }).success).toBe(false);
  });

  it('refuses a mediaState it does not know', () => {
    expect(callSchema.safeParse({ mediaState: { audio: 'loud' } }).success).toBe(false);
  });
});

describe('tones and digits', () => {
  it('maps every tone to a key and back', () => {
    for (const t of tones) expect(digitToTone(toneToDigit(t))).toBe(t);
    expect(toneToDigit('pound')).toBe('#');
    expect(toneToDigit('star')).toBe('*');
    expect(toneToDigit('tone0')).toBe('0');
  });

  it('reads lower-case letters and refuses what is not a key', () => {
    expect(digitToTone('a')).toBe('a');
    expect(digitToTone('x')).toBeUndefined();
    expect(digitToTone('')).toBeUndefined();
    expect(digitToTone('12')).toBeUndefined();
  });
});
