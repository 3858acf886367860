/**
 * The server side of the media benchmark, in its own process so its CPU time is its own: either the media service
 * with a session per call (DTMF, voice activity, recording into a counting sink under a grant, a prompt playing
 * back on every call) or a bare grpc-js echo of the same frames. Driven over IPC by media.bench.ts.
 */
import { Server, ServerCredentials, type ServerDuplexStream } from '@grpc/grpc-js';
import { FRAME_SAMPLES } from '@switchboard/media-dsp';
import { MediaServiceService, type StreamCallRequest, type StreamCallResponse } from '@switchboard/media-proto';
import { createLogger } from '@switchboard/service-kit';
import { startMediaServer, type MediaServer } from '../src/app/media-server';
import type { OpenRecordingSink, RecordingGate } from '../src/app/session/recording-gate';
import { FakeGrant } from '../src/app/testing/recording.testing';
import { writeWithBackpressure } from '../src/app/write-with-backpressure';

export type PodMode = 'chain' | 'echo';
export type PodRequest = { cmd: 'start'; mode: PodMode; play: boolean } | { cmd: 'measure'; reset: boolean; gc: boolean } | { cmd: 'stop' };
export interface PodMeasure {
  cpuMs: number;
  wallMs: number;
  /** Frames through the whole chain (written by the recorder), or echoed. */
  frames: number;
  dropped: number;
  /** Receive-to-processed latency of each frame, from the sender's clock stamped in its timestamp. */
  latenciesMs: number[];
  memoryBytes: number;
}

const TICKS_PER_MS = 10_000;
let frames = 0;
let latencies: number[] = [];
let cpuStart = process.cpuUsage();
let wallStart = performance.now();
let media: MediaServer | undefined;
let echo: Server | undefined;

/** Every call is granted; the sink counts frames and how late each is (the sender stamps its send time in ticks). */
const grant = new FakeGrant();
const gate: RecordingGate = { grantFor: () => grant };
const openSink: OpenRecordingSink = (_callId, track) => ({
  write(_frame, ticks) {
    if (track.kind !== 'mixed') return true;
    frames++;
    if (latencies.length < 2_000_000) latencies.push(performance.timeOrigin + performance.now() - Number(ticks) / TICKS_PER_MS);
    return true;
  },
  close: async () => undefined,
});

/** A one-minute prompt of a quiet tone, so every call also sends 50 frames a second back. */
const prompt = new Int16Array(60 * 50 * FRAME_SAMPLES).map((_, i) => Math.round(2000 * Math.sin(i / 10)));

async function start(mode: PodMode, play: boolean): Promise<number> {
  const logger = createLogger({ service: 'media-bench', level: 'error' });
  if (mode === 'chain') {
    media = await startMediaServer(
      { GRPC_HOST: '127.0.0.1', GRPC_PORT: 0, HTTP_HOST: '127.0.0.1', HTTP_PORT: 0, MAX_CALLS: 10_000, POD_NAME: 'bench-0', DRAIN_GRACE_MS: 0, PREPARED_CALL_TTL_MS: 60_000 },
      logger,
      { sessions: { publish: () => undefined, loadPrompt: async () => prompt, recording: { gate, openSink } } },
    );
    if (play) media.sessions?.observe({ started: (s) => s.play({ id: 'bench', uri: 'http://bench/prompt.wav' }), ended: () => undefined });
    return media.grpcPort;
  }
  echo = new Server();
  echo.addService(MediaServiceService, {
    streamCall: (stream: ServerDuplexStream<StreamCallRequest, StreamCallResponse>) =>
      void (async () => {
        for await (const r of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<StreamCallRequest>) {
          if (!r.audio) continue;
          frames++;
          latencies.push(performance.timeOrigin + performance.now() - Number(r.audio.timestampTicks) / TICKS_PER_MS);
          await writeWithBackpressure(stream, { audio: { data: r.audio.data, timestampTicks: r.audio.timestampTicks, promptId: '' } });
        }
        stream.end();
      })(),
  });
  return new Promise((resolve, reject) =>
    echo!.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
  );
}

async function measure(reset: boolean, gc: boolean): Promise<PodMeasure> {
  if (gc) (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage(cpuStart);
  const dropped = media ? Number((await media.metrics.registry.getSingleMetric('media_queue_discarded_total')?.get())?.values.reduce((n, v) => n + v.value, 0) ?? 0) : 0;
  const result: PodMeasure = { cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - wallStart, frames, dropped, latenciesMs: latencies, memoryBytes: mem.heapUsed + mem.external };
  if (reset) {
    frames = 0;
    latencies = [];
    cpuStart = process.cpuUsage();
    wallStart = performance.now();
  }
  return result;
}

process.on('message', (request: PodRequest) => {
  const reply = (value: unknown) => process.send?.(value);
  if (request.cmd === 'start') void start(request.mode, request.play).then((port) => reply({ port }));
  else if (request.cmd === 'measure') void measure(request.reset, request.gc).then(reply);
  else void (media?.drainAndStop() ?? Promise.resolve()).then(() => echo?.forceShutdown()).then(() => process.exit(0));
});
