/**
 * How many app-hosted calls the emulator can feed in real time on one core: the time to make and encode one
 * 20 ms frame per call (the people's voices, the frame, its protobuf bytes), for a caller talking, a caller pressing
 * keys, a quiet caller, and a four-person meeting with unmixed buffers, next to a bare baseline measured in the same
 * run (encoding a ready-made 640-byte frame, the least any frame source does). The gRPC write is left out: it is the
 * same for every frame source.
 *
 *   npx nx run graph-emulator:bench-media -- [--seconds 20] [--json]
 */
import { performance } from 'node:perf_hooks';
import { formatNumber, formatTable, machineFacts, parseFlags, runBenchScript, type MachineFacts } from '@switchboard/dev-infra';
import { FRAME_SAMPLES } from '@switchboard/media-dsp';
import { StreamCallRequest } from '@switchboard/media-proto';
import { TICKS_PER_FRAME, newSpeaker, nextAudioFrame, type Speaker } from '../src/media/audio-frames';
import { Voice } from '../src/media/voice';

interface Options {
  seconds: number;
  json: boolean;
}

interface Row {
  scenario: string;
  microsPerFrame: number;
  /** Calls one core could feed at 50 frames a second, if it did nothing else. */
  callsPerCore: number;
  /** This scenario's frame cost over the baseline's. */
  costRatio: number;
}

interface Report {
  machine: MachineFacts;
  audioSeconds: number;
  rows: Row[];
}

const FRAMES_PER_SECOND = 50;

/** Microseconds per frame of `makeFrame` over `frames` frames (after a warm-up of a tenth of them). */
function timePerFrame(frames: number, makeFrame: (n: number) => Uint8Array): number {
  let sink = 0;
  for (let n = 0; n < frames / 10; n++) sink += makeFrame(n).length;
  const start = performance.now();
  for (let n = 0; n < frames; n++) sink += makeFrame(n).length;
  const micros = ((performance.now() - start) * 1000) / frames;
  if (sink < 0) throw new Error('unreachable: keeps the frames from being optimised away');
  return micros;
}

function callFrames(speakers: Speaker[], unmixed: boolean, before?: (n: number) => void): (n: number) => Uint8Array {
  const mix = new Int16Array(FRAME_SAMPLES);
  return (n) => {
    before?.(n);
    const { frame } = nextAudioFrame(speakers, BigInt(n) * TICKS_PER_FRAME, unmixed, mix);
    return StreamCallRequest.encode({ audio: frame }).finish();
  };
}

function measure(seconds: number): Report {
  const frames = seconds * FRAMES_PER_SECOND;
  const ready = { audio: { data: Buffer.alloc(640, 1), timestampTicks: 0n, isSilence: false, activeSpeakerMsis: [2], unmixedBuffers: [] } };
  const baseline = timePerFrame(frames, (n) => StreamCallRequest.encode({ audio: { ...ready.audio, timestampTicks: BigInt(n) * TICKS_PER_FRAME } }).finish());

  const talker = newSpeaker(2, new Voice(2));
  talker.voice.talking = true;
  const presser = newSpeaker(2, new Voice(3));
  const quiet = newSpeaker(2, new Voice(4));
  const meeting = [2, 3, 4, 5].map((msi) => newSpeaker(msi, new Voice(msi)));
  const scenarios: [string, (n: number) => Uint8Array][] = [
    ['caller talking', callFrames([talker], false)],
    // A key every 200 ms: the caller is never silent.
    ['caller pressing keys', callFrames([presser], false, (n) => n % 10 === 0 && presser.voice.press('tone5'))],
    ['caller quiet (comfort noise)', callFrames([quiet], false)],
    [
      'meeting of 4, two talking, unmixed',
      callFrames(meeting, true, (n) => meeting.forEach((s, i) => (s.voice.talking = (Math.floor(n / 100) + i) % 4 < 2))),
    ],
  ];
  const rows: Row[] = [{ scenario: 'baseline: encode a ready frame', microsPerFrame: baseline, callsPerCore: 1e6 / FRAMES_PER_SECOND / baseline, costRatio: 1 }];
  for (const [scenario, make] of scenarios) {
    const micros = timePerFrame(frames, make);
    rows.push({ scenario, microsPerFrame: micros, callsPerCore: 1e6 / FRAMES_PER_SECOND / micros, costRatio: micros / baseline });
  }
  return { machine: machineFacts(), audioSeconds: seconds, rows };
}

function format(report: Report): string {
  const m = report.machine;
  return [
    `emulator media frames: ${report.audioSeconds} s of audio per scenario; ${m.cores} cores ${m.cpuModel}, node ${m.node}, load ${m.loadAverage}`,
    ...formatTable([
      ['scenario', 'µs/frame', 'calls/core', '× baseline'],
      ...report.rows.map((r) => [r.scenario, formatNumber(r.microsPerFrame, 1), formatNumber(r.callsPerCore), formatNumber(r.costRatio, 1)]),
    ]),
  ].join('\n');
}

void runBenchScript<Options, Report>({
  name: 'emulator media benchmark',
  parse: (argv) =>
    parseFlags<Options>(
      argv,
      { '--seconds': { kind: 'number', key: 'seconds', min: 1, max: 600, integer: true }, '--json': { kind: 'switch', key: 'json' } },
      { seconds: 20, json: false },
      'usage: media-frames.bench.ts [--seconds N] [--json]',
    ),
  run: async (options) => measure(options.seconds),
  format,
});
