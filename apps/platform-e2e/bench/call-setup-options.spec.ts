import { BenchUsageError } from '@switchboard/dev-infra';
import { defaultCallSetupOptions, parseCallSetupOptions } from './call-setup-options';

describe('parseCallSetupOptions', () => {
  it('uses the defaults when no flag is given', () => {
    expect(parseCallSetupOptions([])).toEqual(defaultCallSetupOptions);
  });

  it('reads every flag', () => {
    expect(
      parseCallSetupOptions(['--rate', '2.5', '--duration=4', '--steps', '1,2,4', '--step-duration', '3', '--p99-limit', '500', '--warmup', '0', '--hold=200', '--replicas', '2', '--json']),
    ).toEqual({ rate: 2.5, durationSeconds: 4, steps: [1, 2, 4], stepSeconds: 3, p99LimitMs: 500, warmupSeconds: 0, holdMs: 200, replicas: 2, json: true });
  });

  it.each([
    [['--rate', '0'], /--rate must be a number from 0.1 to 500, got "0"/],
    [['--steps', '10,5'], /--steps must rise from one rate to the next, got "10,5"/],
    [['--steps', '5,5'], /--steps must rise/],
    [['--rate', '100', '--duration', '20'], /--rate × --duration makes 2000 calls in one phase; at most 900/],
    [['--steps', '5,200', '--step-duration', '10'], /the last of --steps × --step-duration makes 2000 calls/],
    [['--hold', '1.5'], /--hold must be an integer/],
    [['--replicas', '0'], /--replicas must be/],
    [['--calls'], /unknown argument "--calls"/],
  ])('refuses %j with a message naming the flag', (argv, message) => {
    expect(() => parseCallSetupOptions(argv)).toThrow(BenchUsageError);
    expect(() => parseCallSetupOptions(argv)).toThrow(message);
  });
});
