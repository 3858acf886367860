import type { CallFrames, MediaClient } from '@switchboard/media-client';
import type { MediaSessionEvent } from '@switchboard/nats-contracts';
import { HeardAudio } from './utterances';

/** Speech is detected once it is loud; the soft start of the first syllable comes before that. */
const PRE_ROLL_MS = 100;

export type Log = (msg: string, fields: Record<string, unknown>) => void;

/**
 * Says back what it heard: for every call whose media starts, it attaches to the call's mixed audio, follows the
 * speech events, and when the caller stops speaking it sends the utterance back into the call, frame by frame.
 */
export class EchoBot {
  private readonly calls = new Set<Promise<void>>();
  private newCalls?: ReturnType<MediaClient['eventsOfType']>;

  constructor(
    private readonly media: MediaClient,
    private readonly log: Log,
  ) {}

  /** Handles every call whose media session starts from now on. */
  async run(): Promise<void> {
    this.newCalls = this.media.eventsOfType('session-started');
    for await (const started of this.newCalls) {
      const handling = this.echo(started.callId).catch((err: unknown) => this.log('call not echoed', { callId: started.callId, error: String(err) }));
      this.calls.add(handling);
      void handling.finally(() => this.calls.delete(handling));
    }
  }

  async stop(): Promise<void> {
    this.newCalls?.stop();
    await Promise.allSettled([...this.calls]);
  }

  /** Echoes one call until it ends. */
  async echo(callId: string): Promise<void> {
    const events = this.media.events(callId);
    const frames = await this.media.attach(callId, { mixedAudio: true });
    this.log('attached', { callId });
    const heard = new HeardAudio();
    const reading = this.read(frames, heard);
    let speechFrom: number | undefined;
    for await (const event of events) {
      if (!isMixedSpeech(event)) continue;
      if (event.type === 'speech-started') speechFrom = event.atMs;
      else if (speechFrom !== undefined) {
        const utterance = await this.cut(heard, speechFrom, event.atMs);
        speechFrom = undefined;
        this.log('echoing', { callId, frames: utterance.length });
        for (const frame of utterance) await frames.send(frame);
      }
    }
    frames.close();
    await reading;
  }

  private async read(frames: CallFrames, heard: HeardAudio): Promise<void> {
    try {
      for await (const f of frames) if (f.kind === 'mixed') heard.add(f.atMs, f.data);
    } catch {
      // The call ended under the stream: the events loop ends too.
    }
  }

  private async cut(heard: HeardAudio, fromMs: number, toMs: number): Promise<Buffer[]> {
    await heard.heard(toMs - 20);
    return heard.between(fromMs - PRE_ROLL_MS, toMs);
  }
}

const isMixedSpeech = (e: MediaSessionEvent): e is Extract<MediaSessionEvent, { type: 'speech-started' | 'speech-stopped' }> =>
  (e.type === 'speech-started' || e.type === 'speech-stopped') && e.stream === 'mixed';
