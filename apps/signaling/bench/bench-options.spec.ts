import { BenchUsageError } from '@switchboard/dev-infra';
import { defaultBenchOptions, parseBenchOptions } from './bench-options';

describe('parseBenchOptions', () => {
  it('uses the defaults when no flag is given', () => {
    expect(parseBenchOptions([])).toEqual(defaultBenchOptions);
  });

  it('reads separate and inline values and --json', () => {
    expect(parseBenchOptions(['--duration', '2.5', '--concurrency=16', '--connections', '8', '--warmup=0', '--tokens', '3', '--known-calls=500', '--replicas', '2', '--json'])).toEqual({
      durationSeconds: 2.5,
      concurrency: 16,
      connections: 8,
      warmupSeconds: 0,
      tokens: 3,
      knownCalls: 500,
      replicas: 2,
      json: true,
    });
  });

  it.each([
    [['--bogus'], /unknown argument "--bogus"/],
    [['--duration'], /--duration needs a value/],
    [['--duration', 'ten'], /--duration must be a number from 1 to 3600, got "ten"/],
    [['--duration', '0'], /--duration must be a number from 1/],
    [['--concurrency', '1.5'], /--concurrency must be an integer/],
    [['--connections='], /--connections must be an integer from 1 to 10000, got ""/],
    [['--json=yes'], /--json takes no value/],
    [['--replicas', '9'], /--replicas must be an integer from 1 to 8/],
    [['--known-calls', '-1'], /--known-calls must be an integer from 0 to 100000/],
  ])('refuses %j naming the flag', (argv, message) => {
    expect(() => parseBenchOptions(argv)).toThrow(BenchUsageError);
    expect(() => parseBenchOptions(argv)).toThrow(message);
  });
});
