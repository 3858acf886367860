import { callIdFromToken, callIdProblem, callIdSchema, callIdToken, graphCallId, graphCallIdSchema } from './call-id';

const subjectToken = /^[A-Za-z0-9_-]+$/; // one subject token, and a valid KV key

describe('the call-id rule', () => {
  it('accepts Graph ids and the ids media bridges use', () => {
    for (const id of ['9a1b2c3d-0000-4000-8000-00000000abcd', 'call.1', 'bridge:7@pod-0', 'a_b', 'x'.repeat(256)]) {
      expect(callIdProblem(id)).toBeUndefined();
      expect(callIdSchema.safeParse(id).success).toBe(true);
    }
  });

  it('refuses what is not a call id', () => {
    for (const id of ['', 'a b', 'a>b', 'a*', 'x'.repeat(257), 'é']) expect(callIdProblem(id)).toBe('must be 1-256 characters of letters, digits and . _ : @ -');
  });

  it('keeps Graph ids apart: letters, digits and dashes, lower-cased', () => {
    expect(graphCallId('9A1B-00')).toBe('9a1b-00');
    expect(() => graphCallId('not_a.call')).toThrow(/must be a call id/);
    expect(graphCallIdSchema.safeParse('a.b').success).toBe(false);
  });
});

describe('callIdToken', () => {
  it('passes Graph ids through as lower case', () => {
    expect(callIdToken('9a1b2c3d-0000-4000-8000-00000000abcd')).toBe('9a1b2c3d-0000-4000-8000-00000000abcd');
    expect(callIdToken('0A1B')).toBe('0a1b');
  });

  it('encodes any other id reversibly into one subject token', () => {
    for (const id of ['a.b', 'bridge:7@pod-0', 'a_b', '_', 'x.'.repeat(128)]) {
      const token = callIdToken(id);
      expect(token).toMatch(subjectToken);
      expect(token.startsWith('_')).toBe(true);
      expect(callIdFromToken(token)).toBe(id);
    }
    expect(callIdToken('a.b')).not.toBe(callIdToken('a:b'));
  });

  it('refuses an id that breaks the rule, and a token that is not one', () => {
    expect(() => callIdToken('>')).toThrow(/call id ">" must be 1-256/);
    expect(() => callIdFromToken('_YWJj')).toThrow(/not a call-id token/); // "abc" is a Graph id: never encoded
    expect(callIdFromToken('abc')).toBe('abc');
  });
});
