/**
 * DSP quality suite and benchmark: the DTMF receiver against its specification on generated signals (frequency
 * error, twist, noise, durations, gaps, levels, talk-off on a speech-like signal per hour), then the time per 20 ms
 * frame of the detector, voice activity and resampling, next to a bare loop over the same frames and a full-DFT
 * detector measured in the same run.
 *
 *   npm run bench:dsp -- [--talk-off-minutes 60] [--audio-seconds 60] [--rounds 5] [--json]
 *
 * Exits 1 when a figure misses the specification.
 */
import { parseFlags, runBenchScript } from '@switchboard/dev-infra';
import { buildReport, formatReport, type DspBenchReport } from './dsp-report';
import { measureSpeed } from './dsp-speed';
import { measureQuality } from './dtmf-quality';

interface Options {
  talkOffMinutes: number;
  audioSeconds: number;
  rounds: number;
  json: boolean;
}

const USAGE = 'usage: dsp.bench.ts [--talk-off-minutes N] [--audio-seconds N] [--rounds N] [--json]';

void runBenchScript<Options, DspBenchReport>({
  name: 'DSP benchmark',
  parse: (argv) =>
    parseFlags<Options>(
      argv,
      {
        '--talk-off-minutes': { kind: 'number', key: 'talkOffMinutes', min: 3, max: 6000, integer: true },
        '--audio-seconds': { kind: 'number', key: 'audioSeconds', min: 1, max: 3600, integer: true },
        '--rounds': { kind: 'number', key: 'rounds', min: 1, max: 100, integer: true },
        '--json': { kind: 'switch', key: 'json' },
      },
      { talkOffMinutes: 60, audioSeconds: 60, rounds: 5, json: false },
      USAGE,
    ),
  run: async (options) => {
    const progress = (line: string) => process.stderr.write(`${line}\n`);
    const quality = measureQuality(options.talkOffMinutes, progress);
    const speed = measureSpeed(options.audioSeconds, options.rounds, progress);
    const { json: _json, ...parameters } = options;
    return buildReport(parameters, quality, speed);
  },
  format: formatReport,
  problem: (report) => (report.failures.length > 0 ? `the DTMF receiver misses its specification: ${report.failures.join('; ')}` : undefined),
});
