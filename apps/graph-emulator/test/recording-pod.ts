import { Server, ServerCredentials, type ServerDuplexStream, status } from '@grpc/grpc-js';
import { DtmfDetector, FRAME_SAMPLES, pcm16View, sineAmplitude } from '@switchboard/media-dsp';
import { type AudioFrame, type VideoFrame, MediaServiceService, type OpenCall, type StreamCallRequest, type StreamCallResponse } from '@switchboard/media-proto';

/** What one call's stream brought to the pod. */
export interface PodCall {
  open: OpenCall;
  audio: AudioFrame[];
  video: VideoFrame[];
  /** Keys the DTMF receiver heard in the mixed audio, in order. */
  keys: string[];
  dominantSpeakers: (number | undefined)[];
  /** How the stream ended: `end` when the caller half-closed it. */
  ended?: 'end' | 'cancelled';
  stream: ServerDuplexStream<StreamCallRequest, StreamCallResponse>;
}

/**
 * A media pod for the emulator's specs: StreamCall only. It keeps every frame of every call, runs the DSP
 * library's DTMF receiver over the audio as the media service does, and can answer `open` with prompt frames.
 */
export class RecordingPod {
  readonly calls = new Map<string, PodCall>();
  /** Frames of a 440 Hz prompt (id `menu`) sent right after `opened`. */
  promptFrames = 0;
  private server = new Server();
  port = 0;

  async start(): Promise<this> {
    this.server.addService(MediaServiceService, {
      prepareCall: (_c: unknown, cb: (e: { code: status }) => void) => cb({ code: status.UNIMPLEMENTED }),
      getLoad: (_c: unknown, cb: (e: { code: status }) => void) => cb({ code: status.UNIMPLEMENTED }),
      connectBridge: (s: ServerDuplexStream<unknown, unknown>) => s.emit('error', { code: status.UNIMPLEMENTED }),
      streamCall: (stream: ServerDuplexStream<StreamCallRequest, StreamCallResponse>) => this.stream(stream),
    });
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
    return this;
  }

  /** The blob a media pod without a bridge returns from PrepareCall, naming this pod. */
  blob(callId: string, settings: Record<string, unknown> = { audioFormat: 'AUDIO_FORMAT_PCM_16K' }): string {
    return JSON.stringify({ podName: 'test-pod', streamTarget: `127.0.0.1:${this.port}`, callId, settings });
  }

  /** Ends a call's stream from the pod's side with an error status. */
  fail(callId: string): void {
    this.calls.get(callId)?.stream.emit('error', { code: status.UNAVAILABLE, details: 'pod going away' });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
  }

  private stream(stream: ServerDuplexStream<StreamCallRequest, StreamCallResponse>): void {
    let call: PodCall | undefined;
    const detector = new DtmfDetector({ onEvent: (e) => e.kind === 'start' && call?.keys.push(e.digit) });
    stream.on('data', (request: StreamCallRequest) => {
      if (request.open) {
        call = { open: request.open, audio: [], video: [], keys: [], dominantSpeakers: [], stream };
        this.calls.set(request.open.callId, call);
        stream.write({ opened: { callId: request.open.callId, podName: 'test-pod' } });
        for (let i = 0; i < this.promptFrames; i++) stream.write({ audio: { data: promptFrame(i), timestampTicks: BigInt(i) * 200_000n, promptId: 'menu' } });
        return;
      }
      if (!call) return;
      if (request.audio) {
        call.audio.push(request.audio);
        if (request.audio.data.length > 0) detector.push(pcm16View(request.audio.data));
      }
      if (request.video) call.video.push(request.video);
      if (request.dominantSpeakerChanged) call.dominantSpeakers.push(request.dominantSpeakerChanged.speakerMsi);
    });
    stream.on('end', () => {
      if (call) call.ended ??= 'end';
      stream.end();
    });
    stream.on('cancelled', () => {
      if (call) call.ended ??= 'cancelled';
    });
    stream.on('error', () => undefined);
  }
}

function promptFrame(index: number): Buffer {
  const samples = new Int16Array(FRAME_SAMPLES);
  const amplitude = sineAmplitude(-12);
  for (let i = 0; i < FRAME_SAMPLES; i++) samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * 440 * (index * FRAME_SAMPLES + i)) / 16_000));
  return Buffer.from(samples.buffer);
}

