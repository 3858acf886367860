import { callCommandActions, callCommandBodySchema, callCommandSchemas, placeCallBodySchema } from './call-commands';

describe('call-control command schemas', () => {
  it('has a NATS payload schema for every action, each needing the call id except place', () => {
    for (const action of callCommandActions) {
      const result = callCommandSchemas[action].safeParse({});
      if (action === 'place') continue;
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join('.'))).toContain('callId');
    }
  });

  it('accepts a valid payload and refuses unknown fields', () => {
    expect(callCommandSchemas['send-dtmf'].parse({ callId: 'abc-1', tones: ['tone1', 'pound'], idempotencyKey: 'k-1' })).toEqual({
      callId: 'abc-1',
      tones: ['tone1', 'pound'],
      idempotencyKey: 'k-1',
    });
    const extra = callCommandSchemas['mute'].safeParse({ callId: 'abc-1', volume: 3 });
    expect(extra.success).toBe(false);
    expect(callCommandSchemas.get.safeParse({ callId: 'a.b' }).error?.issues[0].message).toMatch(/must be a call id/);
  });

  it('checks the rules of placing a call', () => {
    const issues = (body: unknown) => placeCallBodySchema.safeParse(body).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues({ target: { user: { id: 'u' } } })).toEqual([]);
    expect(issues({ target: { user: { id: 'u' } }, targets: [{ user: { id: 'a' } }, { user: { id: 'b' } }] })).toEqual([expect.stringMatching(/^target: give either target/)]);
    expect(issues({ target: { user: { id: 'u' } }, flow: 'f', app: 'a' })).toEqual([expect.stringMatching(/^flow: give either flow or app/)]);
    expect(issues({ targets: [{ user: { id: 'a' } }, { phone: '+14255550100' }] })).toEqual([expect.stringMatching(/^source: calling a phone number/)]);
    expect(issues({ target: {} })).toEqual([expect.stringMatching(/^target: give exactly one of user, phone or application/)]);
  });

  it('gives REST bodies only to actions that take one', () => {
    expect(callCommandBodySchema('get')).toBeUndefined();
    expect(callCommandBodySchema('history')).toBeUndefined();
    expect(callCommandBodySchema('hold-music')?.safeParse({ action: 'pause' }).success).toBe(false);
  });
});
