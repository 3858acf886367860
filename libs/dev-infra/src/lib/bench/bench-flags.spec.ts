import { BenchUsageError, parseFlags, type FlagRule } from './bench-flags';

interface Options {
  seconds: number;
  workers: number;
  rates: number[];
  json: boolean;
}

const defaults: Options = { seconds: 10, workers: 4, rates: [5, 10], json: false };
const rules: Record<string, FlagRule<Options>> = {
  '--seconds': { kind: 'number', key: 'seconds', min: 1, max: 3600 },
  '--workers': { kind: 'number', key: 'workers', min: 1, max: 64, integer: true },
  '--rates': { kind: 'numbers', key: 'rates', min: 1, max: 1000, integer: true },
  '--json': { kind: 'switch', key: 'json' },
};
const parse = (argv: string[]) => parseFlags(argv, rules, defaults, 'usage: x');

describe('parseFlags', () => {
  it('returns the defaults untouched when no flag is given', () => {
    expect(parse([])).toEqual(defaults);
    expect(parse([])).not.toBe(defaults);
  });

  it('reads separate and inline values, lists and switches', () => {
    expect(parse(['--seconds', '2.5', '--workers=8', '--rates', '1,2,40', '--json'])).toEqual({ seconds: 2.5, workers: 8, rates: [1, 2, 40], json: true });
  });

  it.each([
    [['--bogus'], /unknown argument "--bogus"\nusage: x/],
    [['toString'], /unknown argument "toString"/],
    [['--seconds'], /--seconds needs a value\nusage: x/],
    [['--seconds', 'ten'], /--seconds must be a number from 1 to 3600, got "ten"/],
    [['--seconds', '0'], /--seconds must be a number from 1/],
    [['--workers', '1.5'], /--workers must be an integer from 1 to 64, got "1.5"/],
    [['--workers='], /--workers must be an integer from 1 to 64, got ""/],
    [['--rates', '5,x'], /--rates must be a comma-separated list of integers from 1 to 1000, got "5,x"/],
    [['--rates', '5,,10'], /--rates must be a comma-separated list/],
    [['--json=yes'], /--json takes no value/],
  ])('refuses %j naming the flag', (argv, message) => {
    expect(() => parse(argv)).toThrow(BenchUsageError);
    expect(() => parse(argv)).toThrow(message);
  });
});
