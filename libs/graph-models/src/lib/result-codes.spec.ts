import { explainResult, knownResultCodes, outcomeOf } from './result-codes';

/** Every pair the contract lists: §1.3 terminations, §1.6 operations, §3 transfer. */
const contractPairs: [number, number][] = [
  ...[4097, 4521, 5000, 5300, 5001, 5003, 5002, 5010, 5012, 5013, 5020, 5007, 5855, 7000, 10550, 7015, 18503, 540000, 560000].map(
    (s): [number, number] => [200, s],
  ),
  [408, 8537], [408, 1106], [408, 10057], [410, 301005],
  [480, 10037], [480, 10076], [480, 10134], [480, 10199], [500, 1005],
  [200, 0], [200, 8515], [400, 8508],
  [0, 7015], [500, 7000], [500, 7700],
];

describe('explainResult', () => {
  it.each(contractPairs)('knows %i/%i', (code, subcode) => {
    const e = explainResult({ code, subcode });
    expect(e).toMatchObject({ code, subcode, known: true });
    expect(e.cause.length).toBeGreaterThan(10);
    expect(e.action.length).toBeGreaterThan(3);
  });

  it('has one table row per pair and nothing the contract does not list', () => {
    const keys = knownResultCodes.map((r) => `${r.code}/${r.subcode}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(contractPairs.map(([c, s]) => `${c}/${s}`).sort());
  });

  it('explains the keep-alive timeout as a client error with the keepAlive fix', () => {
    const e = explainResult({ code: 408, subcode: 8537 });
    expect(e.outcome).toBe('clientError');
    expect(e.cause).toMatch(/keepAlive/);
    expect(e.action).toMatch(/keepAlive/);
  });

  it('tells 200/7000 (ended by the bot) apart from 500/7000 (transfer failed)', () => {
    expect(explainResult({ code: 200, subcode: 7000 })).toMatchObject({ outcome: 'success', cause: expect.stringMatching(/bot ended/) });
    expect(explainResult({ code: 500, subcode: 7000 })).toMatchObject({ outcome: 'serverError', cause: expect.stringMatching(/transfer failed/) });
  });

  it('reads a graceful transfer sent with code 0 as success', () => {
    expect(explainResult({ code: 0, subcode: 7015 })).toMatchObject({ outcome: 'success', known: true });
  });

  it('reads a missing or null subcode as 0', () => {
    expect(explainResult({ code: 200 })).toMatchObject({ subcode: 0, known: true, cause: 'the operation completed' });
    expect(explainResult({ code: 200, subcode: null }).subcode).toBe(0);
  });

  it.each([
    [204, 1, 'success'],
    [403, 1, 'clientError'],
    [503, 1, 'serverError'],
    [302, 1, 'unknown'],
    [-1, 0, 'unknown'],
  ] as const)('falls back by class for the unlisted %i/%i', (code, subcode, outcome) => {
    const e = explainResult({ code, subcode });
    expect(e).toMatchObject({ code, subcode, outcome, known: false });
    expect(e.cause).not.toBe('');
  });

  it('gives each fallback class its own words', () => {
    const causes = [204, 403, 503, 302].map((code) => explainResult({ code, subcode: 99 }).cause);
    expect(new Set(causes).size).toBe(4);
  });

  it('does not match garbage numbers', () => {
    expect(explainResult({ code: Number.NaN, subcode: 0 })).toMatchObject({ outcome: 'unknown', known: false });
    expect(explainResult({ code: 200.5, subcode: 0 })).toMatchObject({ outcome: 'unknown', known: false });
    expect(explainResult({ code: 408, subcode: 8537.5 })).toMatchObject({ outcome: 'clientError', known: false });
  });
});

describe('outcomeOf', () => {
  it('classes codes at the edges', () => {
    expect([199, 200, 299, 300, 399, 400, 499, 500, 599, 600, 699, 700].map(outcomeOf)).toEqual([
      'unknown', 'success', 'success', 'unknown', 'unknown', 'clientError', 'clientError', 'serverError', 'serverError', 'clientError', 'clientError', 'unknown',
    ]);
  });
});

describe('codes outside the contract table', () => {
  it('explains a declined and a busy callee by their code', () => {
    expect(explainResult({ code: 603, subcode: 0 })).toMatchObject({ outcome: 'clientError', cause: 'the callee declined the call', known: false });
    expect(explainResult({ code: 486, subcode: 17 })).toMatchObject({ outcome: 'clientError', cause: 'the callee was busy', known: false });
  });
});
