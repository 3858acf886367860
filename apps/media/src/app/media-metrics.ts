import { createMetricsRegistry } from '@switchboard/service-kit';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CallRegistry } from './call-registry';

export type FrameKind = 'audio' | 'video';
export type CallOutcome = 'completed' | 'cancelled' | 'invalid' | 'refused' | 'error';

/** What the media pod exports on /metrics. */
export class MediaMetrics {
  readonly registry: Registry;
  private readonly frames: Counter<'kind'>;
  private readonly framesPerCall: Histogram;
  private readonly streams: Counter<'outcome'>;

  constructor(service: string, calls: CallRegistry) {
    this.registry = createMetricsRegistry(service);
    this.frames = new Counter({
      name: 'media_frames_received_total',
      help: 'Frames received from the media platform',
      labelNames: ['kind'],
      registers: [this.registry],
    });
    this.framesPerCall = new Histogram({
      name: 'media_call_frames',
      help: 'Frames received per call stream, observed when the stream ends',
      buckets: [0, 50, 500, 3000, 15_000, 90_000, 360_000],
      registers: [this.registry],
    });
    this.streams = new Counter({
      name: 'media_call_streams_total',
      help: 'Call streams ended, by outcome',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'media_active_calls',
      help: 'Calls prepared or streaming on this pod',
      registers: [this.registry],
      collect() {
        this.set(calls.load().activeCalls);
      },
    });
    new Gauge({
      name: 'media_draining',
      help: '1 while the pod drains',
      registers: [this.registry],
      collect() {
        this.set(calls.isDraining ? 1 : 0);
      },
    });
  }

  /** Label children resolved once: this runs for every frame (50/s per audio stream). */
  private readonly framesByKind = new Map<FrameKind, { inc(): void }>();

  frameReceived(kind: FrameKind): void {
    let counter = this.framesByKind.get(kind);
    if (!counter) this.framesByKind.set(kind, (counter = this.frames.labels(kind)));
    counter.inc();
  }

  streamEnded(outcome: CallOutcome, frames: number): void {
    this.streams.inc({ outcome });
    this.framesPerCall.observe(frames);
  }
}
