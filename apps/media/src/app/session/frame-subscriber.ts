import type { AttachCallResponse } from '@switchboard/media-proto';

/** What one attached bot asked to receive. */
export interface FrameSelection {
  mixedAudio: boolean;
  speakerAudio: boolean;
  /** Cameras by media source id (a participant's ids are resolved when the selection is made). */
  videoMsis: Set<number>;
  /** Cameras by participant (resolved per frame, so a roster update that adds a camera is followed). */
  videoParticipants: Set<string>;
  screenSharing: boolean;
}

/** A bot attached to a call (an AttachCall stream): what it selected and where its frames go. */
export interface FrameSubscriber {
  readonly selection: FrameSelection;
  /** Queues a message for the bot; never blocks (a slow bot loses its oldest frames, counted). */
  deliver(response: AttachCallResponse): void;
  /** The call's session ended: nothing more will come. */
  ended(): void;
}

export const emptySelection = (): FrameSelection => ({
  mixedAudio: false,
  speakerAudio: false,
  videoMsis: new Set(),
  videoParticipants: new Set(),
  screenSharing: false,
});
