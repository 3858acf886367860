import { createMetricsRegistry } from '@switchboard/service-kit';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CallRegistry } from './call-registry';

export type FrameKind = 'audio' | 'video';
export type QueueName = 'inbound' | 'outbound' | 'subscriber';
export type QueuedKind = FrameKind | 'event';
export type CallOutcome = 'completed' | 'cancelled' | 'invalid' | 'refused' | 'error';

/** What the media pod exports on /metrics. */
export class MediaMetrics {
  readonly registry: Registry;
  private readonly frames: Counter<'kind'>;
  private readonly framesPerCall: Histogram;
  private readonly streams: Counter<'outcome'>;
  private readonly discarded: Counter<'queue' | 'kind' | 'why'>;
  private readonly rejected: Counter<'reason'>;
  private readonly events: Counter<'type'>;
  private readonly prompts: Counter<'reason'>;
  private readonly recording: Counter<'outcome'>;

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
    this.discarded = new Counter({
      name: 'media_queue_discarded_total',
      help: 'Frames or events a bounded queue let go: dropped (full, oldest first) or coalesced (replaced by a newer frame of the same source)',
      labelNames: ['queue', 'kind', 'why'],
      registers: [this.registry],
    });
    this.rejected = new Counter({
      name: 'media_frames_rejected_total',
      help: 'Frames skipped because they were malformed or out of order (the stream continued)',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    this.events = new Counter({
      name: 'media_session_events_total',
      help: 'Media events published, by type',
      labelNames: ['type'],
      registers: [this.registry],
    });
    this.prompts = new Counter({
      name: 'media_prompts_total',
      help: 'Prompts ended, by reason',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    this.recording = new Counter({
      name: 'media_recording_frames_total',
      help: 'Audio buffers offered to the recorder: written under a grant, not granted, or lost because the writer was full',
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

  /** Label children by their joined values, resolved once: these run per frame. */
  private readonly children = new Map<Counter<string>, Map<string, { inc(n?: number): void }>>();

  private child<L extends string>(counter: Counter<L>, ...values: string[]): { inc(n?: number): void } {
    let byValues = this.children.get(counter);
    if (!byValues) this.children.set(counter, (byValues = new Map()));
    const key = values.join('\u0000');
    let c = byValues.get(key);
    if (!c) byValues.set(key, (c = counter.labels(...values)));
    return c;
  }

  queueDiscarded(queue: QueueName, kind: QueuedKind, why: 'dropped' | 'coalesced'): void {
    this.child(this.discarded, queue, kind, why).inc();
  }

  frameRejected(reason: string): void {
    this.child(this.rejected, reason).inc();
  }

  eventPublished(type: string): void {
    this.child(this.events, type).inc();
  }

  promptEnded(reason: string): void {
    this.child(this.prompts, reason).inc();
  }

  recorded(outcome: string, buffers: number): void {
    if (buffers > 0) this.child(this.recording, outcome).inc(buffers);
  }

  streamEnded(outcome: CallOutcome, frames: number): void {
    this.streams.inc({ outcome });
    this.framesPerCall.observe(frames);
  }
}
