import { FRAME_SAMPLES } from '@switchboard/media-dsp';
import type { PlayCommand } from '@switchboard/nats-contracts';
import type { LoadPrompt } from './prompt-source';

export type PromptEnd = 'completed' | 'barged-in' | 'cancelled' | 'failed';

export interface PromptCompletion {
  id: string;
  reason: PromptEnd;
  framesPlayed: number;
  error?: string;
}

/** A prompt id already queued or playing on this call. */
export class DuplicatePromptError extends Error {
  override readonly name = 'DuplicatePromptError';
}

interface QueuedPrompt {
  command: PlayCommand;
  /** Settles once the prompt is fetched and converted; fetching starts when it is queued. */
  samples?: Int16Array;
  error?: string;
  framesPlayed: number;
  /** Sample offset of the next frame. */
  offset: number;
  /** The pod's own sound (a record beep): its end goes here instead of `onCompleted`. */
  onEnded?: (reason: PromptEnd) => void;
}

/**
 * One call's prompts, in the order they were asked for: each is fetched as soon as it is queued, then played frame
 * by frame when the pacer asks (`nextFrame`). Barge-in (a key or speech, as each prompt allows) and cancel end
 * prompts early. Every prompt ends exactly once, with a reason, through `onCompleted`.
 */
export class PromptPlayer {
  private readonly queue: QueuedPrompt[] = [];

  constructor(
    private readonly load: LoadPrompt,
    private readonly onCompleted: (completion: PromptCompletion) => void,
    /** Something became playable (a prompt finished loading): the pacer should run. */
    private readonly onReady: () => void = () => undefined,
  ) {}

  /** Queues a prompt; returns how many prompts are ahead of it. */
  play(command: PlayCommand): number {
    if (this.queue.some((p) => p.command.id === command.id)) throw new DuplicatePromptError(`prompt ${command.id} is already queued or playing on this call`);
    const prompt: QueuedPrompt = { command, framesPlayed: 0, offset: 0 };
    this.queue.push(prompt);
    this.load(command.uri).then(
      (samples) => {
        prompt.samples = samples;
        this.onReady();
      },
      (err: unknown) => {
        prompt.error = err instanceof Error ? err.message : String(err);
        this.onReady();
      },
    );
    return this.queue.length - 1;
  }

  /**
   * Queues a sound of the pod's own (a record verb's beep), after the prompts already queued; it plays like a prompt
   * but is no prompt of the app's: no barge-in, and its end goes to `onEnded` only.
   */
  playTone(id: string, samples: Int16Array, onEnded: (reason: PromptEnd) => void): void {
    this.queue.push({ command: { id, uri: `tone:${id}` }, samples, framesPlayed: 0, offset: 0, onEnded });
    this.onReady();
  }

  /** True while a prompt is queued (loaded or not). */
  get busy(): boolean {
    return this.queue.length > 0;
  }

  /** The id of the prompt now playing, if one has begun. */
  get playing(): string | undefined {
    const head = this.queue[0];
    return head && head.framesPlayed > 0 ? head.command.id : undefined;
  }

  /**
   * Writes the next 20 ms of the current prompt into `out` (silence after its end within the last frame) and
   * returns its id, or undefined when nothing is ready to play (the next prompt is still loading, or none is queued).
   */
  nextFrame(out: Int16Array): string | undefined {
    for (;;) {
      const head = this.queue[0];
      if (!head) return undefined;
      if (head.error !== undefined) {
        this.finish(head, 'failed', head.error);
        continue;
      }
      const samples = head.samples;
      if (!samples) return undefined;
      if (head.offset >= samples.length) {
        this.finish(head, 'completed');
        continue;
      }
      const end = Math.min(head.offset + FRAME_SAMPLES, samples.length);
      out.set(samples.subarray(head.offset, end));
      out.fill(0, end - head.offset);
      head.offset = end;
      head.framesPlayed++;
      return head.command.id;
    }
  }

  /** A key was pressed or speech began: ends the prompts that allow it, from the current one on, until one does not. */
  bargeIn(kind: 'keys' | 'speech'): string[] {
    const ended: string[] = [];
    while (this.queue.length > 0 && this.queue[0].command.bargeIn?.[kind]) {
      ended.push(this.queue[0].command.id);
      this.finish(this.queue[0], 'barged-in');
    }
    return ended;
  }

  /** Cancels one prompt, or every one when `id` is absent; returns the ids cancelled. */
  cancel(id?: string): string[] {
    const doomed = id === undefined ? [...this.queue] : this.queue.filter((p) => p.command.id === id);
    for (const prompt of doomed) this.finish(prompt, 'cancelled');
    return doomed.map((p) => p.command.id);
  }

  private finish(prompt: QueuedPrompt, reason: PromptEnd, error?: string): void {
    const at = this.queue.indexOf(prompt);
    if (at < 0) return;
    this.queue.splice(at, 1);
    if (prompt.onEnded) return prompt.onEnded(reason);
    this.onCompleted({ id: prompt.command.id, reason, framesPlayed: prompt.framesPlayed, ...(error !== undefined ? { error } : {}) });
  }
}
