import { declaredEnvNames } from './env-names';

describe('declaredEnvNames', () => {
  it('lists the upper-case keys of env objects once, whatever follows the colon', () => {
    const source = [
      'export const env = z.object({',
      '  /** Comment: not a key. */',
      '  ACK_WAIT_MS: envInt({ min: 2000, max: 1_200_000, fallback: 30_000 }),',
      '  CUSTOMER_WEBHOOKS_FILE: z',
      '    .string(),',
      '  lowerCase: z.string(),',
      '  ACK_WAIT_MS: envInt({ min: 1 }),',
      '});',
    ].join('\n');
    expect(declaredEnvNames(source)).toEqual(['ACK_WAIT_MS', 'CUSTOMER_WEBHOOKS_FILE']);
  });

  it('finds nothing in text without env keys', () => {
    expect(declaredEnvNames('const x = { a: 1 };\n// NOTE: text')).toEqual([]);
  });
});
