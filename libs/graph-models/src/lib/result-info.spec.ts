import { resultInfoSchema } from './result-info';

describe('resultInfoSchema', () => {
  it('normalises strings and the subCode spelling to numbers', () => {
    expect(resultInfoSchema.parse({ code: '500', subCode: '7700', message: 'failed' })).toEqual({
      code: 500,
      subcode: 7700,
      message: 'failed',
    });
  });

  it('prefers subcode over subCode and reads a missing subcode as 0', () => {
    expect(resultInfoSchema.parse({ code: 200, subcode: 5, subCode: 6 })).toEqual({ code: 200, subcode: 5 });
    expect(resultInfoSchema.parse({ code: 200 })).toEqual({ code: 200, subcode: 0 });
  });

  it('drops an empty or null message', () => {
    expect(resultInfoSchema.parse({ code: 0, subcode: 7015, message: null })).toEqual({ code: 0, subcode: 7015 });
  });

  it('refuses a missing or non-numeric code', () => {
    expect(resultInfoSchema.safeParse({ subcode: 1 }).error!.issues[0].path).toEqual(['code']);
    expect(resultInfoSchema.safeParse({ code: 'ok' }).success).toBe(false);
    expect(resultInfoSchema.safeParse({ code: 200.5 }).success).toBe(false);
    expect(resultInfoSchema.safeParse({ code: 200, subcode: '1e3' }).success).toBe(false);
  });
});
