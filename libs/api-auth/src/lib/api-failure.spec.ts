import { z } from 'zod';
import { bearerChallenge, failure, isApiFailure, parseOrRefuse } from './api-failure';

describe('api failures', () => {
  it('names every field a refused value got wrong', () => {
    const schema = z.object({ id: z.string(), size: z.number().int() });
    expect(() => parseOrRefuse(schema, { size: 1.5 }, 'body')).toThrow(
      expect.objectContaining({ status: 400, code: 'InvalidRequest', message: expect.stringMatching(/^invalid body: id: .+; size: .+/) }),
    );
    expect(parseOrRefuse(schema, { id: 'a', size: 2 }, 'body')).toEqual({ id: 'a', size: 2 });
  });

  it('tells a refusal from an Error that carries a status and a code', () => {
    expect(isApiFailure(failure(404, 'NotFound', 'gone'))).toBe(true);
    expect(isApiFailure(Object.assign(new Error('graph'), { status: 404, code: 'x' }))).toBe(false);
  });

  it('challenges a request without a token bare, and one with a bad token with the reason', () => {
    expect(bearerChallenge(failure(401, 'Unauthenticated', 'missing'), undefined)).toBe('Bearer realm="switchboard"');
    expect(bearerChallenge(failure(401, 'Unauthenticated', 'token "x" expired'), 'Bearer x')).toBe(
      `Bearer realm="switchboard", error="invalid_token", error_description="token 'x' expired"`,
    );
  });
});
